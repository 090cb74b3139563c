import type { GateRunSummary } from '../../store/dashboard-schema.ts';
import type { GateRun } from '../../store/queue-schema.ts';
import { html, href, type Html } from '../html.ts';

/**
 * What a run was recorded as, said one way on every page that shows a run: a task's (its link), a
 * release gate (on no task, the whole environment), and narrowed by what, on a task or not. A task's
 * narrowed run is said to be one as much as a release gate's: a --grep of one test proves less of the
 * task than the whole catalogue does.
 */
type Recorded = Pick<GateRunSummary, 'taskId' | 'narrowed'>;

/** What narrowed the run, as given (`--grep=signs in; not selected: local-browser`). */
function narrowedBy(run: Recorded): string {
  return run.narrowed.join('; ');
}

function taskLink(taskId: string): Html {
  return html`<a href="${href(`/tasks/${encodeURIComponent(taskId)}`)}">${taskId}</a>`;
}

/** A cell of the runs list: `task T-1`, `task T-1, narrowed: ...`, `narrowed: ... (not counted)` or `release gate`. */
export function recordedAsCell(run: Recorded): Html | string {
  if (run.taskId)
    return run.narrowed.length
      ? html`task ${taskLink(run.taskId)}, narrowed: ${narrowedBy(run)}`
      : html`task ${taskLink(run.taskId)}`;
  return run.narrowed.length ? `narrowed: ${narrowedBy(run)} (not counted)` : 'release gate';
}

/** A cell of a task's runs table, where every run is the task's: what it ran. */
export function ranCell(run: Recorded): string {
  return run.narrowed.length ? `narrowed: ${narrowedBy(run)}` : 'the whole environment';
}

/** The Task fact of a run's page. */
export function taskFact(run: Pick<GateRun, 'taskId' | 'narrowed'>): Html | string {
  if (run.taskId)
    return run.narrowed.length
      ? html`${taskLink(run.taskId)}: a narrowed run (${narrowedBy(run)}), not of the whole environment`
      : taskLink(run.taskId);
  return run.narrowed.length
    ? `none: a narrowed run (${narrowedBy(run)}), not a release-gate run: the release view and trends do not count it`
    : 'none: a release-gate run';
}
