import { changedFiles, headCommit } from '../git/git.ts';
import { sha256 } from '../store/blobs.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { isLegalTransition } from '../store/task-states.ts';
import { judgeDrift, type DriftJudgement, type DriftReport } from './drift.ts';
import type { OpenedTask } from './open-task.ts';

export type DriftOutcome = DriftReport & {
  base: string;
  head: string | null;
  /** Whether the task was moved to escalated (it is left where it is when it cannot move there). */
  escalated: boolean;
  /** Follow-up tasks proposed by this check (ones proposed before are not proposed again). */
  proposed: Array<{ id: string; path: string }>;
};

/**
 * Judges the task's changes by the drift rules and records what they call for: the check itself;
 * for rule 2 an escalation (the task moves to escalated, releasing its hold); for rule 3 a follow-up
 * task per file, proposed, pointing back at this one.
 */
export async function runDrift(
  store: QueueStore,
  { task: { id: taskId }, packet, dir, base }: OpenedTask,
  options: { judgement: DriftJudgement; actor: string; command: string },
): Promise<DriftOutcome> {
  const { actor } = options;
  const report = judgeDrift(packet, changedFiles(dir, base), options.judgement);
  const head = headCommit(dir) ?? null;
  await store.addEvent(
    taskId,
    'drift',
    {
      command: options.command,
      base,
      head,
      clean: report.clean,
      changes: report.changes.map(c => ({ path: c.path, status: c.status, rule: c.rule, kind: c.kind, why: c.why })),
    },
    actor,
  );

  let escalated = false;
  if (report.escalations.length) {
    const body = { files: report.escalations.map(c => ({ path: c.path, kind: c.kind, glob: c.glob ?? null })) };
    const why = (c: (typeof report.escalations)[number]) =>
      c.kind === 'must-not-touch' ? `must_not_touch ${c.glob}` : 'needed, outside ownership';
    const reason = `drift rule 2: ${report.escalations.map(c => `${c.path} (${why(c)})`).join(', ')}`;
    const task = await store.requireTask(taskId);
    if (isLegalTransition(task.state, 'escalated')) {
      await store.transition(taskId, {
        from: task.state,
        to: 'escalated',
        actor,
        reason,
        event: { kind: 'escalation', body },
      });
      escalated = true;
    } else {
      await store.addEvent(taskId, 'escalation', { ...body, reason }, actor);
    }
  }

  const proposed: Array<{ id: string; path: string }> = [];
  for (const change of report.followUps) {
    const id = `${taskId}-FU-${sha256(change.path).slice(0, 8)}`;
    if (await store.getTask(id)) continue;
    await store.createTask(
      {
        id,
        title: `follow-up of ${taskId}: the change to ${change.path}`,
        trackId: packet.track_id,
        origin: taskId,
        reason: `proposed by the drift check of ${taskId}: ${change.path} changed outside its ownership and is not needed for it`,
      },
      actor,
    );
    await store.addEvent(taskId, 'follow-up', { task: id, path: change.path }, actor);
    proposed.push({ id, path: change.path });
  }
  return { ...report, base, head, escalated, proposed };
}
