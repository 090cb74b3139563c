import type { QueueHealthReport } from '../../coordinator/queue-health-report.ts';
import type { Health } from '../../store/dashboard-schema.ts';
import type { Session } from '../../store/queue-schema.ts';
import { html, href, type Html } from '../html.ts';
import { heartbeat, layout, table, when } from './layout.ts';
import { plural } from '../../text/plural.ts';

/** What needs a coordinator: stale holds, escalations, release holds in force, the sessions. */
export function healthView(health: Health, sessions: Session[], debt: QueueHealthReport): Html {
  const task = (id: string) => html`<a href="${href(`/tasks/${encodeURIComponent(id)}`)}">${id}</a>`;
  const body = html`<section aria-labelledby="stale">
      <h2 id="stale">Stale holds</h2>
      ${table(
        'Tasks held by a session with no recent heartbeat',
        ['Task', 'Title', 'Session', 'Last heartbeat'],
        health.staleHolds.map(t => [
          task(t.id),
          t.title,
          t.holder?.session ?? '-',
          heartbeat(when(t.holder?.heartbeatAt)),
        ]),
        'No stale holds.',
      )}
    </section>
    <section aria-labelledby="escalations">
      <h2 id="escalations">Escalations</h2>
      ${table(
        'Latest escalations',
        ['When', 'Task', 'Task state', 'Source', 'To lane', 'Reason'],
        health.escalations.map(e => [when(e.createdAt), task(e.taskId), e.state, e.source, e.to ?? '-', e.reason]),
        'No escalations.',
      )}
    </section>
    <section aria-labelledby="holds">
      <h2 id="holds">Release holds in force</h2>
      ${table(
        'Release holds that hold now',
        ['Task', 'Kind', 'Owner lane', 'Pack', 'Since', 'Reason'],
        health.activeReleaseHolds.map(h => [
          task(h.taskId),
          h.task.kind,
          h.task.ownerLane ?? '-',
          h.pack,
          when(h.since),
          h.reason,
        ]),
        'No release holds.',
      )}
    </section>
    <section aria-labelledby="sessions">
      <h2 id="sessions">Sessions</h2>
      ${table(
        'Worker sessions',
        ['Session', 'Actor', 'Host', 'Last heartbeat', 'Stale', 'Holds'],
        sessions.map(s => [
          s.id,
          s.actor,
          s.host,
          heartbeat(when(s.heartbeatAt)),
          heartbeat(s.stale ? 'yes' : 'no'),
          // Each held task is a link, as every other task on this page is: a coordinator goes from a
          // session to what it holds.
          s.holds.length ? s.holds.map((id, i) => html`${i ? ', ' : ''}${task(id)}`) : '-',
        ]),
        'No sessions registered.',
      )}
    </section>
    <section aria-labelledby="debt">
      <h2 id="debt">Queue health</h2>
      <p>
        ${
          debt.ok
            ? 'No new evidence debt.'
            : `${plural(debt.totals.withDebt.new, 'task')} with new evidence debt: queue health fails.`
        }
        ${debt.totals.withDebt.legacy ? `${plural(debt.totals.withDebt.legacy, 'task')} with legacy debt, listed, not failed.` : ''}
        ${debt.legacyBefore ? `Legacy: tasks created before ${debt.legacyBefore}, or marked legacy.` : ''} Checkpoint
        interval ${debt.checkpointInterval}.
      </p>
      ${table(
        'Evidence each task owes (packgate queue health)',
        ['Task', 'Kind', 'State', 'Debt', 'Owes'],
        // New debt first, as `packgate queue health` lists it: what fails the queue is read first.
        [...debt.tasks.filter(t => t.debt === 'new'), ...debt.tasks.filter(t => t.debt !== 'new')]
          .filter(t => t.problems.length)
          .map(t => [
            task(t.id),
            t.kind,
            t.state,
            t.debt === 'new' ? 'NEW' : `legacy${t.legacyReason ? ` (${t.legacyReason})` : ''}`,
            t.problems.map(p => `${p.rule}: ${p.detail}`).join('; '),
          ]),
        'No task owes evidence.',
      )}
    </section>`;
  return layout('Health', '/health', body);
}
