import { z } from 'zod';
import { REPORT_FILES } from '../../schema/constants.ts';
import { packVerdictSchema, type PackVerdict } from '../../schema/verdict.ts';
import type { GateRunPage } from '../../store/dashboard-schema.ts';
import type { EvidenceRef, GateRunPack } from '../../store/queue-schema.ts';
import type { QueueStore } from '../../store/queue-store.ts';
import type { RunDetail } from '../api-schemas.ts';
import { contentType, evidenceUrl } from '../evidence-route.ts';
import { unknownFilterNotes, type UnknownFilters } from '../filter-hints.ts';
import { html, href, type Html } from '../html.ts';
import { packTests, type PackTest } from '../pack-tests.ts';
import { domId } from './dom-id.ts';
import { badge, duration, layout, table, when } from './layout.ts';
import { pager, pastTheEnd } from './queue-view.ts';
import { recordedAsCell, taskFact } from './recorded-as.ts';
import { plural } from '../../text/plural.ts';

export function runListView(
  page: GateRunPage,
  query: { environment?: string; task?: string; offset: number; limit: number },
  unknown?: UnknownFilters,
): Html {
  const body = html`<form method="get" action="/runs" class="filters">
      <label>Environment <input name="environment" value="${query.environment ?? ''}" /></label>
      <label>Task <input name="task" value="${query.task ?? ''}" /></label>
      <button type="submit">Show</button>
    </form>
    ${unknownFilterNotes(unknown)}
    ${table(
      `Gate runs ${page.offset + 1}-${page.offset + page.runs.length} of ${page.total}`,
      ['Run', 'Environment', 'Stage', 'Verdict', 'Blocking packs', 'Recorded as', 'Started', 'Duration'],
      page.runs.map(r => [
        html`<a href="/runs/${r.id}">#${r.id}</a>`,
        r.environment,
        r.stage,
        badge(r.verdict),
        String(r.blockingPacks),
        recordedAsCell(r),
        when(r.startedAt),
        duration(r.durationMs),
      ]),
      pastTheEnd(page) ? `No gate runs on this page: ${page.total} match, on earlier pages.` : 'No gate runs match.',
    )}
    ${pager('/runs', page, { environment: query.environment, task: query.task })}`;
  return layout('Gate runs', '/runs', body);
}

/**
 * A gate run: its verdict, whether its evidence still matches its attestation, its Allure report
 * when one was built and stored with it, each pack with its tests (from its evidence.json), reason
 * and correlation ids (from the run's verdict.json), and its evidence: screenshots inline, traces
 * opened in Playwright's trace viewer, the rest as links.
 */
export async function runView(store: QueueStore, detail: RunDetail): Promise<Html> {
  const { run, verification, reportUrl: report } = detail;
  const verdict = await storedVerdict(store, run.evidence);
  const tests = new Map(
    await Promise.all(run.packs.map(async p => [p.pack, await packTests(store, run.evidence, p.pack)] as const)),
  );
  // The report's files are one app, linked once, not listed one by one among the run's files.
  const reportFiles = run.evidence.filter(e => e.path.startsWith(`${REPORT_FILES.allureReport}/`));
  const byPack = new Map<string | null, EvidenceRef[]>();
  for (const e of run.evidence) if (!reportFiles.includes(e)) byPack.set(e.pack, [...(byPack.get(e.pack) ?? []), e]);
  const body = html`<dl class="facts">
      <dt>Verdict</dt>
      <dd>${badge(run.verdict)}</dd>
      <dt>Environment</dt>
      <dd>${run.environment} (${run.stage})</dd>
      <dt>Task</dt>
      <dd>${taskFact(run)}</dd>
      <dt>Started</dt>
      <dd>${when(run.startedAt)}, ${duration(run.durationMs)}</dd>
      <dt>Commit</dt>
      <dd><code>${run.gitCommit ?? 'unknown'}</code>${run.gitDirty ? ' (dirty work tree)' : ''}</dd>
      <dt>Command</dt>
      <dd><code>${run.command}</code></dd>
      <dt>Recorded</dt>
      <dd>${when(run.recordedAt)} by ${run.recordedBy}</dd>
    </dl>
    <section aria-labelledby="verification">
      <h2 id="verification">Attestation ${badge(verification.status)}</h2>
      <p class="verification">${verification.summary}</p>
      ${
        verification.mismatches.length
          ? html`<ul>
              ${verification.mismatches.map(m => html`<li><code>${m.file}</code>: ${m.problem}</li>`)}
            </ul>`
          : ''
      }
    </section>
    <section aria-labelledby="reports">
      <h2 id="reports">Reports</h2>
      ${
        report
          ? html`<p>
              <a class="allure-link" href="${report}">Allure report</a>: the run's tests by pack and layer, the gate's
              verdict under Quality Gates (${reportFiles.length} files, built from the attested Allure results by
              <code>packgate report allure</code>; the report itself is not attested)
            </p>`
          : html`<p class="empty">
              No Allure report stored with this run: <code>npx packgate report allure</code> builds one from the run's
              output folder and adds it here.
            </p>`
      }
    </section>
    ${
      run.problems.length
        ? html`<section aria-labelledby="problems">
            <h2 id="problems">Problems</h2>
            <ul>
              ${run.problems.map(p => html`<li>${p.severity}: ${p.message}</li>`)}
            </ul>
          </section>`
        : ''
    }
    <section aria-labelledby="packs">
      <h2 id="packs">Packs</h2>
      ${run.packs.map(p => {
        const v = verdict.find(x => x.id === p.pack);
        return html`<article class="pack" aria-labelledby="${domId('pack', p.pack)}">
          <h3 id="${domId('pack', p.pack)}">${p.pack} ${badge(p.status)}</h3>
          <p>${p.policy}${p.blocks ? ', blocks the release' : ''}: ${p.reason}</p>
          ${
            v
              ? html`<p>
                    Tests: ${v.tests.passed} passed, ${v.tests.failed} failed, ${v.tests.flaky} flaky,
                    ${v.tests.skipped} skipped, ${v.tests.notRun} not run, of
                    ${v.tests.total}${v.missingTests.length ? `; ${plural(v.missingTests.length, 'test')} of the pack not selected by this run` : ''}.
                  </p>
                  ${ids('Correlation ids', 'correlation', v.evidence.correlationIds)}
                  ${ids('Trace ids', 'trace-id', v.evidence.traceIds)} ${testTable(p, v, tests.get(p.pack) ?? [])}
                  ${notSelected(v.missingTests)} ${manualChecks(v)}`
              : ''
          }
          ${evidenceList(run.id, byPack.get(p.pack) ?? [])}
        </article>`;
      })}
    </section>
    <section aria-labelledby="run-files">
      <h2 id="run-files">Files of the run</h2>
      ${evidenceList(run.id, byPack.get(null) ?? [])}
    </section>`;
  return layout(`Gate run #${run.id}`, '/runs', body);
}

/**
 * A pack's tests: each with its project (layer), how it came out, why (its first error, what its
 * own test.skip() said, or for a test that never started, why (its sign-in setup failed, from the
 * pack's record, else the gate's reason for its pack)), its
 * correlation ids.
 */
function testTable(pack: GateRunPack, verdict: PackVerdict, tests: PackTest[]): Html {
  // By the verdict's count: the record of a pack that proves the sign-in lists the setup's tests
  // with its own (src/gate/assemble.ts), and a failed setup is no failed test of the pack's.
  const failedItself = verdict.tests.failed > 0;
  return table(
    `Tests of ${pack.pack}`,
    ['Test', 'Project', 'Outcome', 'Last attempt', 'Reason', 'Correlation ids'],
    tests.map(t => [
      t.title,
      t.project,
      html`${t.outcome}${t.outcome === 'flaky' ? ' (passed on a retry)' : ''}`,
      t.lastStatus ?? '-',
      t.errors.length
        ? html`<span class="reason">${t.errors[0].split('\n')[0]}</span>`
        : (t.skipReason ?? t.notRunBecause)
          ? html`<span class="reason">${t.skipReason ?? t.notRunBecause}</span>`
          : UNFINISHED.has(t.lastStatus ?? '') && packSaysWhyNotRun(pack, failedItself)
            ? html`<span class="reason">${pack.reason}</span>`
            : '',
      html`${t.correlationIds.map(id => html`<code class="correlation">${id}</code> `)}`,
    ]),
    'No tests recorded for this pack.',
  );
}

/**
 * A test's last status in the gate's record when it did not finish: `not-run` (it never started:
 * Playwright skips the tests of a project whose setup project failed) or `interrupted`. Such a test
 * has no error of its own; the gate counts it as not run (src/gate/judge.ts).
 */
const UNFINISHED: ReadonlySet<string> = new Set(['not-run', 'interrupted']);

/**
 * Whether the pack's reason is why its unfinished tests did not run, so the row can show it as the
 * verdict does: the pack is NOT_RUN (its reason names what stopped the tests: the failed setup), or
 * BLOCKED_BY_UPSTREAM (the upstream pack's failure and its own unfinished tests), or FAIL though none
 * of its tests failed (the pack proves the sign-in: the setup's failure is its own). A FAIL with a
 * failed test of its own has that test's reason, not theirs.
 */
function packSaysWhyNotRun(pack: GateRunPack, failedItself: boolean): boolean {
  return (
    pack.status === 'NOT_RUN' || pack.status === 'BLOCKED_BY_UPSTREAM' || (pack.status === 'FAIL' && !failedItself)
  );
}

/**
 * The pack's tests the run left out (its verdict's `missingTests`): filtered out, sharded out, or in
 * a project not selected, as the gate's table counts them (`1 not selected`). Not tests that are
 * missing from the pack: folded, so a run narrowed to one pack is not a page of every other pack's
 * titles.
 */
function notSelected(titles: string[]): Html {
  if (!titles.length) return html``;
  return html`<details class="not-selected">
    <summary>
      ${plural(titles.length, 'test')} not selected by this run (filtered out, sharded out, or in a project not
      selected), so not run
    </summary>
    <ul>
      ${titles.map(t => html`<li>${t}</li>`)}
    </ul>
  </details>`;
}

/** The pack's manual checks: a person's verdict each, with who and when, never shown as a test. */
function manualChecks(v: PackVerdict): Html {
  if (!v.manual.length) return html``;
  return html`<p>Manual checks (recorded by people, not tests):</p>
    <ul class="manual">
      ${v.manual.map(
        m =>
          html`<li>
            ${m.id} (${m.policy}):
            ${m.status}${m.result ? ` ${m.result}` : ''}${
              m.by ? ` by ${m.by} at ${m.at}, valid until ${m.expires}` : ''
            }
          </li>`,
      )}
    </ul>`;
}

function ids(label: string, cls: string, values: string[]): Html {
  if (!values.length) return html``;
  return html`<p>${label}: ${values.map(id => html`<code class="${cls}">${id}</code> `)}</p>`;
}

function evidenceList(runId: number, files: EvidenceRef[]): Html {
  if (!files.length) return html`<p class="empty">No evidence files.</p>`;
  const images = files.filter(f => contentType(f.path).image);
  return html`${images.map(
      f =>
        html`<figure>
          <img src="${evidenceUrl(runId, f.path)}" alt="screenshot ${f.path}" />
          <figcaption>${f.path}</figcaption>
        </figure>`,
    )}
    <ul class="evidence">
      ${files.map(f => {
        const url = evidenceUrl(runId, f.path);
        // The gate keeps a test's trace as `<test slug>/attempt-<n>-trace.zip` (src/gate/write-outputs.ts).
        const trace = /(^|\/)(attempt-\d+-)?trace[^/]*\.zip$/.test(f.path);
        return html`<li>
          <a href="${url}">${f.path}</a> <span class="size">${f.size} bytes</span>${
            trace
              ? html` <a class="trace-link" href="${href('/trace/index.html', { trace: url })}"
                  >open in the trace viewer</a
                >`
              : ''
          }
        </li>`;
      })}
    </ul>`;
}

/** The packs of the run's verdict.json, from the store: each that parses (an older file's may not). */
async function storedVerdict(store: QueueStore, evidence: EvidenceRef[]): Promise<PackVerdict[]> {
  const ref = evidence.find(e => e.path === 'verdict.json');
  const content = ref && (await store.blobs.get(ref.digest));
  if (!content) return [];
  try {
    const file = z.object({ packs: z.array(z.unknown()) }).safeParse(JSON.parse(content.toString('utf8')));
    if (!file.success) return [];
    return file.data.packs.flatMap(p => {
      const pack = packVerdictSchema.safeParse(p);
      return pack.success ? [pack.data] : [];
    });
  } catch {
    return [];
  }
}
