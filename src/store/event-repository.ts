import { redactDeep } from '../evidence/redact.ts';
import type { TaskEvent, TaskEventKind } from './queue-schema.ts';
import { storableJson, type SqlExecutor } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import { currentTask } from './task-rows.ts';

type EventRow = { id: number; task_id: string; kind: TaskEventKind; actor: string; at: string; body: string };

/** What else happens to a task besides moving (claims, packets, drift, proofs, notes), in order. */
export class EventRepository {
  constructor(private readonly context: StoreContext) {}

  add(taskId: string, kind: TaskEventKind, body: Record<string, unknown>, actor: string): Promise<TaskEvent> {
    return this.context.db.transaction(async tx => {
      await currentTask(tx, taskId);
      return this.record(tx, taskId, kind, body, actor, this.context.clock.stamp());
    });
  }

  async list(taskId: string, kind?: TaskEventKind): Promise<TaskEvent[]> {
    const rows = await this.context.db.all<EventRow>(
      `SELECT id, task_id, kind, actor, at, body FROM task_events WHERE task_id = ?${kind ? ' AND kind = ?' : ''} ORDER BY id`,
      kind ? [taskId, kind] : [taskId],
    );
    return rows.map(r => ({
      id: Number(r.id),
      taskId: r.task_id,
      kind: r.kind,
      actor: r.actor,
      at: r.at,
      body: JSON.parse(r.body) as Record<string, unknown>,
    }));
  }

  /** Writes an event inside the caller's transaction, which has checked the task exists. */
  async record(
    tx: SqlExecutor,
    taskId: string,
    kind: TaskEventKind,
    body: Record<string, unknown>,
    actor: string,
    at: string,
  ): Promise<TaskEvent> {
    const clean = redactDeep(body, this.context.redact);
    const row = await tx.get<{ id: number }>(
      'INSERT INTO task_events (task_id, kind, actor, at, body) VALUES (?, ?, ?, ?, ?) RETURNING id',
      [taskId, kind, actor, at, storableJson(clean)],
    );
    return { id: Number(row!.id), taskId, kind, actor, at, body: clean };
  }
}
