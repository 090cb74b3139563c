import type { QueueSnapshot, SnapshotTask } from '../store/queue-snapshot.ts';
import type { LegacyMark } from '../store/task-import-repository.ts';
import { debtRules, type Debt, type DebtRule, type QueueHealthReport, type TaskDebt } from './queue-health-report.ts';
import { isCheckpointStale } from './stale-checkpoint.ts';

export type HealthSettings = {
  /** Tasks created before this (ISO date or time) are legacy debt. */
  legacyBefore?: string;
  checkpointInterval: { text: string; ms: number };
};

/**
 * Queue health: the evidence each task still owes, judged over one snapshot of the store (no query
 * per task). The rules:
 * 1. no-handoff: a task done (forced or not) without a handoff on record;
 * 2. no-fix-record: a bug fix in review or done without its definition of done (`fix-record`);
 * 3. regression-not-accepted: a bug fix in review or done with neither a regression proof nor an accepted review;
 * 4. watch-not-closed: a watch task in review or done without a closed watched run, or a run
 *    started and never closed (nor failed before its closeout) whose session is stale or gone;
 * 5. gate-run-missing: a task in review or done whose packet names a pack no gate run on the task covered;
 * 6. checkpoint-stale: in progress longer than the interval since its claim or last checkpoint;
 * 7. escalation-unanswered: the task's latest escalation has no answer: the task has not moved since
 *    (out of escalated, or at all when it could not move there).
 * A task's debt is legacy when it was created before `legacy_before` or is marked legacy with a
 * reason; new otherwise. Only new debt makes the report not ok.
 */
export function judgeQueueHealth(snapshot: QueueSnapshot, settings: HealthSettings): QueueHealthReport {
  const now = new Date(snapshot.now);
  const cutoff = legacyCutoff(settings.legacyBefore);
  const kindsOf = groupSets(snapshot.eventKinds.map(e => [e.taskId, e.kind]));
  const accepted = new Set(snapshot.acceptedReviews);
  const packsOf = groupSets(snapshot.gateRunPacks.map(g => [g.taskId, g.pack]));
  const progress = new Map(snapshot.inProgress.map(p => [p.taskId, p]));
  const escalation = new Map(snapshot.openEscalations.map(e => [e.taskId, e]));
  const watches = watchRuns(snapshot);

  const tasks: TaskDebt[] = [];
  for (const task of snapshot.tasks) {
    const problems: Debt[] = [];
    const owe = (rule: DebtRule, detail: string) => problems.push({ rule, detail });
    const finished = task.state === 'done' || task.state === 'in_review';
    const kinds = kindsOf.get(task.id);
    if (task.state === 'done' && !kinds?.has('handoff')) owe('no-handoff', 'done without a handoff');
    if (task.kind === 'bugfix' && finished) {
      if (!kinds?.has('fix-record')) owe('no-fix-record', 'no definition of done recorded (review record)');
      if (!kinds?.has('regression-proof') && !accepted.has(task.id))
        owe('regression-not-accepted', 'no regression proven (review prove) or accepted in review');
    }
    const watch = watches.get(task.id);
    if (task.kind === 'watch' && finished && !watch?.closed) owe('watch-not-closed', 'no watched run closed out');
    for (const run of watch?.abandoned ?? [])
      owe('watch-not-closed', `run ${run} started, never closed, its session gone`);
    if (finished && task.pack && !packsOf.get(task.id)?.has(task.pack))
      owe('gate-run-missing', `no gate run on the task covers ${task.pack}`);
    const clock = progress.get(task.id);
    if (clock && isCheckpointStale(clock.since, clock.lastCheckpoint, now, settings.checkpointInterval.ms))
      owe(
        'checkpoint-stale',
        `no checkpoint for ${settings.checkpointInterval.text} since ${clock.lastCheckpoint ? 'the last one' : 'its claim'}`,
      );
    const open = escalation.get(task.id);
    if (open)
      owe(
        'escalation-unanswered',
        `escalation #${open.id} (${open.source}${open.to ? ` to ${open.to}` : ''}) since ${open.createdAt}`,
      );
    if (problems.length) tasks.push(withLegacy(task, problems, cutoff));
  }
  return report(snapshot, settings, tasks);
}

/** Per task, whether a watched run was closed, and the runs started and never ended whose session is stale or gone. */
function watchRuns(snapshot: QueueSnapshot): Map<string, { closed: boolean; abandoned: string[] }> {
  const alive = new Set(snapshot.sessions.filter(s => s.heartbeatAt >= snapshot.staleCutoff).map(s => s.id));
  const runs = new Map<string, { closed: boolean; started: Map<string, string>; ended: Set<string> }>();
  for (const { taskId, body } of snapshot.watchEvents) {
    const entry = runs.get(taskId) ?? { closed: false, started: new Map(), ended: new Set() };
    runs.set(taskId, entry);
    const run = String(body.run ?? '');
    if (body.phase === 'started') entry.started.set(run, String(body.session ?? ''));
    if (body.phase === 'closed') entry.closed = true;
    // A run that failed before its closeout is over too, though nothing was closed out.
    if (body.phase === 'closed' || body.phase === 'failed') entry.ended.add(run);
  }
  return new Map(
    [...runs].map(([taskId, entry]) => [
      taskId,
      {
        closed: entry.closed,
        abandoned: [...entry.started]
          .filter(([run, session]) => !entry.ended.has(run) && !alive.has(session))
          .map(([run]) => run),
      },
    ]),
  );
}

/** governance.yaml's `legacy_before` as the store writes dates (ISO, UTC), for comparing with them. */
export function legacyCutoff(legacyBefore: string | undefined): string | undefined {
  return legacyBefore ? new Date(legacyBefore).toISOString() : undefined;
}

/**
 * Why a task's debt is legacy, or null when it is new: its mark's reason, else a date before the
 * cutoff, unless the mark was cleared by hand (then the date no longer counts).
 */
export function legacyReasonOf(task: LegacyMark, cutoff: string | undefined): string | null {
  const byDate = cutoff && !task.debtNew && task.createdAt < cutoff;
  return task.legacyReason ?? (byDate ? `created before ${cutoff.slice(0, 10)}` : null);
}

function withLegacy(task: SnapshotTask, problems: Debt[], cutoff: string | undefined): TaskDebt {
  const legacyReason = legacyReasonOf(task, cutoff);
  return {
    id: task.id,
    title: task.title,
    kind: task.kind,
    state: task.state,
    lane: task.ownerLane,
    createdAt: task.createdAt,
    debt: legacyReason ? 'legacy' : 'new',
    legacyReason,
    problems,
  };
}

function report(snapshot: QueueSnapshot, settings: HealthSettings, tasks: TaskDebt[]): QueueHealthReport {
  const byRule = Object.fromEntries(
    debtRules.map(rule => [rule, { legacy: 0, new: 0 }]),
  ) as QueueHealthReport['totals']['byRule'];
  const withDebt = { legacy: 0, new: 0 };
  for (const task of tasks) {
    withDebt[task.debt]++;
    for (const problem of task.problems) byRule[problem.rule][task.debt]++;
  }
  return {
    generatedAt: snapshot.now,
    legacyBefore: settings.legacyBefore ?? null,
    checkpointInterval: settings.checkpointInterval.text,
    ok: withDebt.new === 0,
    tasks,
    totals: { tasks: snapshot.tasks.length, withDebt, byRule },
  };
}

function groupSets<V>(pairs: Array<[string, V]>): Map<string, Set<V>> {
  const groups = new Map<string, Set<V>>();
  for (const [key, value] of pairs) {
    const set = groups.get(key) ?? new Set<V>();
    set.add(value);
    groups.set(key, set);
  }
  return groups;
}
