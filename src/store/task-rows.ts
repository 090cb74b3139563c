import { PackgateError } from '../diagnostics/errors.ts';
import { nearest } from '../diagnostics/nearest.ts';
import type { TaskState } from './queue-schema.ts';
import type { SqlExecutor } from './sql.ts';

/** The part of a task a write decides on: where it is and whether it has a packet. */
export type TaskStateRow = { id: string; state: TaskState; packet_digest: string | null };

/** A task's hold with its session's last heartbeat. */
export type HoldRow = {
  task_id: string;
  session_id: string;
  claimed_at: string;
  heartbeat_at: string;
  /** The task's worktree, when its start made one. */
  worktree: string | null;
};

/**
 * The task's state, or TASK_UNKNOWN: where a write to a task starts. Pass `tx.forUpdate` as `lock`
 * when the write depends on the state, so a concurrent writer waits for this one's commit.
 */
export async function currentTask(tx: SqlExecutor, id: string, lock = ''): Promise<TaskStateRow> {
  const row = await tx.get<TaskStateRow>(`SELECT id, state, packet_digest FROM tasks WHERE id = ?${lock}`, [id]);
  if (!row) throw await unknownTask(tx, id);
  return row;
}

export function currentHold(tx: SqlExecutor, taskId: string): Promise<HoldRow | undefined> {
  return tx.get<HoldRow>(
    `SELECT h.task_id, h.session_id, h.claimed_at, h.worktree, s.heartbeat_at FROM holds h JOIN sessions s ON s.id = h.session_id WHERE h.task_id = ?`,
    [taskId],
  );
}

/**
 * TASK_UNKNOWN, with the stored id nearest to a typo (`C-AUTH-GATE-01` for `C-AUTH-GATE-001`). Only
 * on this error path, and only the ids are read, so a queue of 10,000 tasks costs one small query.
 */
export async function unknownTask(tx: SqlExecutor, id: string): Promise<PackgateError> {
  const ids = (await tx.all<{ id: string }>('SELECT id FROM tasks')).map(r => r.id);
  const near = nearest(id, ids);
  return new PackgateError('TASK_UNKNOWN', `no task ${id} in the queue store`, {
    hint: near ? `did you mean ${near}? (list tasks with: packgate task list)` : 'list tasks with: packgate task list',
  });
}
