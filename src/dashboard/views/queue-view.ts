import type { TaskPage } from '../../store/dashboard-schema.ts';
import { eventWords } from '../../store/event-words.ts';
import { taskEventKinds, taskKinds, taskStates, type TaskEvent } from '../../store/queue-schema.ts';
import type { TaskDetail } from '../api-schemas.ts';
import { unknownFilterNotes, type UnknownFilters } from '../filter-hints.ts';
import { html, href, type Html } from '../html.ts';
import { badge, duration, heartbeat, jsonBlock, layout, table, when } from './layout.ts';
import { ranCell } from './recorded-as.ts';
import { closeoutLogUrl } from '../closeout-log-route.ts';
import { proofFile, proofFileUrl, type ProofFile } from '../proof-file-route.ts';

type TaskQuery = {
  lane?: string;
  state?: string;
  kind?: string;
  pack?: string;
  environment?: string;
  offset: number;
  limit: number;
};

export function queueView(
  page: TaskPage,
  counts: Array<{ lane: string | null; state: string; count: number }>,
  query: TaskQuery,
  unknown?: UnknownFilters,
): Html {
  const lanes = [...new Set(counts.map(c => c.lane ?? '-'))];
  const filters = {
    lane: query.lane,
    state: query.state,
    kind: query.kind,
    pack: query.pack,
    environment: query.environment,
  };
  const body = html`${table(
      'Tasks by lane and state',
      ['Lane', ...taskStates],
      lanes.map(lane => [
        lane,
        ...taskStates.map(state => {
          const n = counts.find(c => (c.lane ?? '-') === lane && c.state === state)?.count ?? 0;
          return n ? html`<a href="${href('/queue', { lane, state })}">${n}</a>` : '0';
        }),
      ]),
      'The queue is empty.',
    )}
    <form method="get" action="/queue" class="filters">
      <label>Lane <input name="lane" value="${query.lane ?? ''}" /></label>
      ${select('state', 'State', taskStates, query.state)} ${select('kind', 'Kind', taskKinds, query.kind)}
      <label>Pack <input name="pack" value="${query.pack ?? ''}" /></label>
      <label>Environment <input name="environment" value="${query.environment ?? ''}" /></label>
      <button type="submit">Filter</button>
    </form>
    ${unknownFilterNotes(unknown)}
    ${table(
      `Tasks ${page.total ? page.offset + 1 : 0}-${page.offset + page.tasks.length} of ${page.total}`,
      ['Task', 'Title', 'State', 'Kind', 'Lane', 'Pack', 'Environment', 'Held by', 'Updated'],
      page.tasks.map(t => [
        html`<a href="${href(`/tasks/${encodeURIComponent(t.id)}`)}">${t.id}</a>`,
        t.title,
        t.state,
        t.kind,
        t.ownerLane ?? '-',
        t.pack ?? '-',
        t.environment ?? '-',
        // A heartbeat of a stale holder clears its flag; a live holder's changes nothing shown here.
        t.holder ? (t.holder.stale ? heartbeat(`${t.holder.session} (stale)`) : t.holder.session) : '-',
        when(t.updatedAt),
      ]),
      pastTheEnd(page) ? `No tasks on this page: ${page.total} match, on earlier pages.` : 'No tasks match.',
    )}
    ${pager('/queue', page, filters)}`;
  return layout('Queue', '/queue', body);
}

function select(name: string, label: string, values: readonly string[], current: string | undefined): Html {
  return html`<label
    >${label}
    <select name="${name}">
      <option value="">any</option>
      ${values.map(v => html`<option${v === current ? html` selected` : ''}>${v}</option>`)}
    </select></label
  >`;
}

/** An offset beyond every match, while some match. */
export function pastTheEnd(page: { total: number; offset: number }): boolean {
  return page.total > 0 && page.offset >= page.total;
}

export function pager(
  path: string,
  page: { total: number; offset: number; limit: number },
  filters: Record<string, string | undefined>,
): Html {
  // Past the last page (an old link, a hand-written offset), Previous goes to the last page, not to
  // another empty one a page back.
  const prev = pastTheEnd(page)
    ? Math.floor((page.total - 1) / page.limit) * page.limit
    : page.offset > 0
      ? Math.max(0, page.offset - page.limit)
      : undefined;
  const next = page.offset + page.limit < page.total ? page.offset + page.limit : undefined;
  if (prev === undefined && next === undefined) return html``;
  return html`<nav class="pager" aria-label="Pages">
    ${
      prev !== undefined
        ? html`<a rel="prev" href="${href(path, { ...filters, offset: prev, limit: page.limit })}">Previous</a>`
        : ''
    }
    ${next !== undefined ? html`<a rel="next" href="${href(path, { ...filters, offset: next, limit: page.limit })}">Next</a>` : ''}
  </nav>`;
}

/**
 * What each kind of event is called on a task's page, in the order they are shown. Kinds a later
 * packgate writes (watcher closeouts, checkpoints) have their section already; an unknown kind
 * still shows, under its own name.
 */
const SECTIONS: Array<[TaskEvent['kind'], string]> = [
  ['drift', 'Drift findings'],
  ['proof', 'Acceptance'],
  ['handoff', 'Handoff'],
  ['fix-record', 'Definition of done'],
  ['regression-proof', 'Regression proofs'],
  ['review', 'Reviews'],
  ['watch', 'Watcher closeouts'],
  ['checkpoint', 'Checkpoints'],
  ['escalation', 'Escalation events'],
  ['release-hold', 'Release hold changes'],
];

/**
 * The kinds whose section shows the task's records beside their events (the checkpoints' seven
 * fields, the closeouts' exit and log, the acceptance items with their proofs), not the events alone.
 */
const RECORD_SECTIONS: Partial<Record<TaskEvent['kind'], (detail: TaskDetail) => Html>> = {
  proof: acceptanceSection,
  watch: closeoutSection,
  checkpoint: checkpointSection,
};

export function taskView(detail: TaskDetail): Html {
  const { task } = detail;
  const shown = new Set(SECTIONS.map(s => s[0]));
  const other = detail.events.filter(e => !shown.has(e.kind));
  const body = html`<dl class="facts">
      <dt>Title</dt>
      <dd>${task.title}</dd>
      <dt>State</dt>
      <dd>${task.state}</dd>
      <dt>Kind</dt>
      <dd>${task.kind}</dd>
      <dt>Lane</dt>
      <dd>${task.ownerLane ?? '-'}</dd>
      <dt>Track</dt>
      <dd>${task.trackId ?? '-'}</dd>
      <dt>Holder</dt>
      <dd>
        ${
          task.holder
            ? html`${task.holder.session} since ${when(task.holder.since)}, last heartbeat
              ${heartbeat(html`${when(task.holder.heartbeatAt)}${task.holder.stale ? html` <strong>(stale)</strong>` : ''}`)}`
            : 'nobody'
        }
      </dd>
      <dt>Workspace</dt>
      <dd>
        ${task.workspace ? html`<code>${task.workspace.worktree ?? '-'}</code> on ${task.workspace.branch ?? '-'} from ${task.workspace.base ?? '-'}` : '-'}
      </dd>
      <dt>Depends on</dt>
      <dd>
        ${task.dependsOn.length ? task.dependsOn.map(d => html`<a href="${href(`/tasks/${encodeURIComponent(d)}`)}">${d}</a> `) : 'nothing'}
      </dd>
    </dl>
    <section aria-labelledby="history">
      <h2 id="history">State history</h2>
      ${table(
        `Transitions of ${task.id}`,
        ['When', 'From', 'To', 'By', 'Reason'],
        detail.transitions.map(t => [when(t.at), t.from ?? '-', t.to, t.actor, t.reason]),
        'No transitions.',
      )}
    </section>
    <section aria-labelledby="runs">
      <h2 id="runs">Gate runs</h2>
      ${table(
        `Gate runs of ${task.id}`,
        ['Run', 'Environment', 'Verdict', 'Ran', 'Started', 'Duration'],
        detail.gateRuns.map(r => [
          html`<a href="/runs/${r.id}">#${r.id}</a>`,
          r.environment,
          badge(r.verdict),
          ranCell(r),
          when(r.startedAt),
          duration(r.durationMs),
        ]),
        'No gate runs recorded on this task.',
      )}
    </section>
    ${
      detail.escalations.length
        ? html`<section aria-labelledby="escalations">
            <h2 id="escalations">Escalations</h2>
            ${table(
              `Escalations of ${task.id}`,
              ['When', 'Source', 'To lane', 'Reason', 'Crossed'],
              detail.escalations.map(e => [
                when(e.createdAt),
                e.source,
                e.to ?? '-',
                e.reason,
                e.crossed.map(c => `${c.path} (${c.boundary})`).join('; ') || '-',
              ]),
              '',
            )}
          </section>`
        : ''
    }
    ${
      detail.releaseHolds.length
        ? html`<section aria-labelledby="holds">
            <h2 id="holds">Release holds</h2>
            ${table(
              `Release holds of ${task.id}`,
              ['Pack', 'Since', 'Holds now', 'Reason', 'Cleared'],
              detail.releaseHolds.map(h => [
                h.pack,
                when(h.since),
                h.active ? 'yes' : 'no',
                h.reason,
                h.clearedAs ? `${h.clearedAs} by ${h.clearedBy}: ${h.clearReason}` : '-',
              ]),
              '',
            )}
          </section>`
        : ''
    }
    ${SECTIONS.map(
      ([kind, title]) =>
        RECORD_SECTIONS[kind]?.(detail) ??
        eventSection(
          kind,
          title,
          detail.events.filter(e => e.kind === kind),
          detail.checkpoints,
        ),
    )}
    ${other.length ? eventSection('other', 'Other events', other, detail.checkpoints) : ''}
    <section aria-labelledby="packet">
      <h2 id="packet">Packet</h2>
      ${task.packet ? jsonBlock(task.packet) : html`<p class="empty">No packet attached.</p>`}
    </section>`;
  return layout(`Task ${task.id}`, '/queue', body);
}

function eventSection(kind: string, title: string, events: TaskEvent[], checkpoints: TaskDetail['checkpoints']): Html {
  if (!events.length) return html``;
  return html`<section aria-labelledby="ev-${kind}">
    <h2 id="ev-${kind}">${title}</h2>
    ${eventArticles(events, checkpoints)}
  </section>`;
}

/**
 * Each event in the words `packgate task show` prints it in (src/store/event-words.ts). The words say
 * what a body means, not all it holds (a drift check's commands, a review's every answer, a field an
 * older packgate wrote): the body as stored is one click away, folded under the words, as
 * `/api/tasks/{id}` has it.
 */
function eventArticles(events: TaskEvent[], checkpoints: TaskDetail['checkpoints']): Html[] {
  return events.map(e => {
    const { what, words } = eventWords(e, checkpoints);
    const file = proofFile(e);
    return html`<article class="event" id="event-${e.id}">
      <h3>${what} ${when(e.at)} by ${e.actor}</h3>
      <p>${words}</p>
      ${
        file
          ? html`<p>
              <a class="proof-file" href="${proofFileUrl(e.taskId, file)}">open <code>${file.file}</code></a>
            </p>`
          : ''
      }
      <details class="body">
        <summary>Body as stored</summary>
        ${jsonBlock(e.body)}
      </details>
    </article>`;
  });
}

/**
 * The packet's acceptance items, each with whether and how it is proven, as the handoff lists them
 * (the proofs `packgate task prove` recorded; for a pack's item, the latest gate run on the task it
 * passed in), or how to prove it; then the `proof` events in the words `task show` prints them.
 */
function acceptanceSection(detail: TaskDetail): Html {
  const events = detail.events.filter(e => e.kind === 'proof');
  const files = events.flatMap(e => proofFile(e) ?? []);
  if (!detail.acceptance.length && !events.length) return html``;
  return html`<section aria-labelledby="ev-proof">
    <h2 id="ev-proof">Acceptance</h2>
    ${
      detail.acceptance.length
        ? table(
            `Acceptance items of ${detail.task.id}`,
            ['#', 'Item', 'Proven', 'Proof'],
            detail.acceptance.map(a => [
              String(a.item),
              a.text,
              a.proof.length ? 'yes' : html`<strong>no</strong>`,
              a.proof.length
                ? html`<ul class="proof">
                    ${a.proof.map(p => html`<li>${proofWords(detail.task.id, p, files)}</li>`)}
                  </ul>`
                : html`no proof recorded: ${a.needs}`,
            ]),
            '',
          )
        : ''
    }
    ${eventArticles(events, detail.checkpoints)}
  </section>`;
}

/**
 * A proof in the handoff's words, a file's name linked to the file as stored: the words of a file
 * proof begin `file <name> (sha256 <digest>)` (src/loop/handoff.ts), matched by name and digest.
 */
function proofWords(taskId: string, words: string, files: readonly ProofFile[]): Html | string {
  const file = files.find(f => words.startsWith(`file ${f.file} (sha256 ${f.digest})`));
  if (!file) return words;
  const link = html`<a class="proof-file" href="${proofFileUrl(taskId, file)}"><code>${file.file}</code></a>`;
  return html`file ${link}${words.slice(`file ${file.file}`.length)}`;
}

/**
 * The task's checkpoints as `packgate task show` reads them back: numbered per task, each with its
 * seven fields and what its decision did. A `checkpoint` event only points at its record (by the
 * store's id), so it is shown only when no record it points at is here.
 */
function checkpointSection(detail: TaskDetail): Html {
  const recorded = new Set(detail.checkpoints.map(c => c.id));
  const loose = detail.events.filter(e => e.kind === 'checkpoint' && !recorded.has(Number(e.body.checkpoint)));
  if (!detail.checkpoints.length && !loose.length) return html``;
  return html`<section aria-labelledby="ev-checkpoint">
    <h2 id="ev-checkpoint">Checkpoints</h2>
    ${table(
      `Checkpoints of ${detail.task.id}`,
      ['#', 'When', 'Decision', 'By', 'Goal', 'Track', 'What changed', 'Drift', 'Blocked on', 'Next actions'],
      detail.checkpoints.map(c => [
        `#${c.number}`,
        when(c.createdAt),
        html`${c.decision}${decisionOutcome(c.outcome)}`,
        c.createdBy,
        c.goalChanged ? html`${c.originalGoal} <strong>(GOAL CHANGED)</strong>` : c.originalGoal,
        c.currentTrack,
        c.whatChanged,
        c.driftDiscovered,
        c.blockedOn,
        html`<ol>
          ${c.nextActions.map(a => html`<li>${a}</li>`)}
        </ol>`,
      ]),
      '',
    )}
    ${eventArticles(loose, detail.checkpoints)}
  </section>`;
}

/**
 * The task's watched runs as `packgate task show` lists their closeouts: how each ended and why (exit
 * code or signal, failure class, the log lines that matched, the log and verdict by digest), then the
 * `watch` events (a run started, closed out, failed before its closeout) in words.
 */
function closeoutSection(detail: TaskDetail): Html {
  const events = detail.events.filter(e => e.kind === 'watch');
  if (!detail.closeouts.length && !events.length) return html``;
  return html`<section aria-labelledby="ev-watch">
    <h2 id="ev-watch">Watcher closeouts</h2>
    ${
      // Events with no closeout record (a run still going, an imported backlog's) speak for themselves below.
      detail.closeouts.length
        ? table(
            `Watch closeouts of ${detail.task.id}`,
            ['#', 'Closed', 'Watcher', 'Run', 'Status', 'Ended', 'Duration', 'Command', 'Log', 'Matched lines'],
            detail.closeouts.map(c => [
              html`#${c.id}`,
              when(c.createdAt),
              c.watcher,
              html`<code>${c.run}</code>`,
              html`${c.status.toUpperCase()}${c.class ? ` (${c.class})` : ''}${c.source === 'hand' ? html`, closed by hand by ${c.createdBy}` : ''}`,
              [c.exitCode !== null ? `exit code ${c.exitCode}` : '', c.signal ?? ''].filter(Boolean).join(', ') || '-',
              c.durationMs !== null ? duration(c.durationMs) : '-',
              c.command ? html`<code>${c.command}</code>` : '-',
              html`${
                c.logDigest
                  ? html`<a class="log-link" href="${closeoutLogUrl(c)}"><code>${c.logPath ?? 'log'}</code></a>
                      sha256:${c.logDigest.slice(0, 12)}`
                  : '-'
              }${
                c.verdictDigest
                  ? html`<br />verdict
                      ${c.verdict ?? '-'}${c.blockingPacks.length ? ` blocked by ${c.blockingPacks.join(', ')}` : ''}`
                  : ''
              }`,
              c.lines.length ? html`<pre class="lines">${c.lines.join('\n')}</pre>` : '-',
            ]),
            '',
          )
        : ''
    }
    ${eventArticles(events, detail.checkpoints)}
  </section>`;
}

function decisionOutcome(outcome: TaskDetail['checkpoints'][number]['outcome']): Html {
  const parts: Html[] = [];
  if (outcome.movedTo) parts.push(html`moved to ${outcome.movedTo}`);
  if (outcome.escalatedTo) parts.push(html`escalated to ${outcome.escalatedTo}`);
  if (outcome.splitInto.length)
    parts.push(
      html`split into
      ${outcome.splitInto.map(id => html`<a href="${href(`/tasks/${encodeURIComponent(id)}`)}">${id}</a> `)}`,
    );
  return parts.length ? html` (${parts.map((p, i) => (i ? html`; ${p}` : p))})` : html``;
}

export { taskEventKinds };
