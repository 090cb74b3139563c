import { PackgateError } from '../diagnostics/errors.ts';
import type { TaskState } from './queue-schema.ts';
import type { SqlExecutor } from './sql.ts';

/** The part of a task a write decides on: where it is and whether it has a packet. */
export type TaskStateRow = { id: string; state: TaskState; packet_digest: string | null };

/** A task's hold with its session's last heartbeat. */
export type HoldRow = { task_id: string; session_id: string; claimed_at: string; heartbeat_at: string };

/**
 * The task's state, or TASK_UNKNOWN: where a write to a task starts. Pass `tx.forUpdate` as `lock`
 * when the write depends on the state, so a concurrent writer waits for this one's commit.
 */
export async function currentTask(tx: SqlExecutor, id: string, lock = ''): Promise<TaskStateRow> {
  const row = await tx.get<TaskStateRow>(`SELECT id, state, packet_digest FROM tasks WHERE id = ?${lock}`, [id]);
  if (!row) throw unknownTask(id);
  return row;
}

export function currentHold(tx: SqlExecutor, taskId: string): Promise<HoldRow | undefined> {
  return tx.get<HoldRow>(
    `SELECT h.task_id, h.session_id, h.claimed_at, s.heartbeat_at FROM holds h JOIN sessions s ON s.id = h.session_id WHERE h.task_id = ?`,
    [taskId],
  );
}

export function unknownTask(id: string): PackgateError {
  return new PackgateError('TASK_UNKNOWN', `no task ${id} in the queue store`, {
    hint: 'list tasks with: packgate task list',
  });
}
