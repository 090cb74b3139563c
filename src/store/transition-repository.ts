import { PackgateError } from '../diagnostics/errors.ts';
import type { EventRepository } from './event-repository.ts';
import type { TaskState, Transition } from './queue-schema.ts';
import type { TransitionRequest } from './queue-store.ts';
import type { SqlExecutor, SqlTransaction } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import { currentHold, currentTask, type TaskStateRow } from './task-rows.ts';
import { assertLegalTransition, HELD_STATES, PACKET_STATES } from './task-states.ts';

type TransitionRow = {
  id: number;
  task_id: string;
  from_state: TaskState | null;
  to_state: TaskState;
  actor: string;
  reason: string;
  at: string;
};

/** The task state machine and its record: every move a task makes, who made it and why. */
export class TransitionRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly events: EventRepository,
  ) {}

  /** A move asked for by a person or the loop; claims and releases go through the holds instead. */
  request(id: string, request: TransitionRequest): Promise<Transition> {
    return this.context.db.transaction(async tx => {
      const current = await currentTask(tx, id, tx.forUpdate);
      if (request.from && request.from !== current.state)
        throw new PackgateError(
          'TASK_CONFLICT',
          `task ${id} is ${current.state}, not ${request.from}: it moved since you looked`,
          { hint: `look again with: packgate task show ${id}` },
        );
      if (request.to === 'in_progress')
        throw new PackgateError(
          'TRANSITION_ILLEGAL',
          `task ${id} moves to in_progress only by being claimed by a session`,
          { hint: `run: packgate task start ${id}` },
        );
      const move = await this.move(tx, id, current, request.to, request.actor, request.reason);
      if (request.event)
        await this.events.record(tx, id, request.event.kind, request.event.body, request.actor, move.at);
      return move;
    });
  }

  async list(id: string): Promise<Transition[]> {
    const rows = await this.context.db.all<TransitionRow>(
      'SELECT id, task_id, from_state, to_state, actor, reason, at FROM transitions WHERE task_id = ? ORDER BY id',
      [id],
    );
    return rows.map(r => ({
      id: Number(r.id),
      taskId: r.task_id,
      from: r.from_state,
      to: r.to_state,
      actor: r.actor,
      reason: r.reason,
      at: r.at,
    }));
  }

  /** The one place a task changes state: legality, packet, hold and the transition record together. */
  async move(
    tx: SqlTransaction,
    id: string,
    current: TaskStateRow,
    to: TaskState,
    actor: string,
    reason: string,
  ): Promise<Transition> {
    assertLegalTransition(id, current.state, to);
    if (PACKET_STATES.has(to) && !current.packet_digest)
      throw new PackgateError('TRANSITION_ILLEGAL', `task ${id} cannot be ${to} without a packet`, {
        hint: `attach one: packgate packet attach <file>`,
      });
    if (!reason.trim())
      throw new PackgateError('INPUT_INVALID', `moving task ${id} needs a reason`, { hint: 'pass --reason "<why>"' });
    const at = this.context.clock.stamp();
    const moved = await tx.run('UPDATE tasks SET state = ?, updated_at = ? WHERE id = ? AND state = ?', [
      to,
      at,
      id,
      current.state,
    ]);
    if (moved !== 1)
      throw new PackgateError('TASK_CONFLICT', `task ${id} moved while it was being moved to ${to}`, {
        hint: 'look again and retry',
      });
    if (HELD_STATES.has(current.state) && !HELD_STATES.has(to)) {
      const hold = await currentHold(tx, id);
      await tx.run('DELETE FROM holds WHERE task_id = ?', [id]);
      if (hold) await this.events.record(tx, id, 'release', { session: hold.session_id, to, reason }, actor, at);
    }
    return this.record(tx, id, current.state, to, actor, reason, at);
  }

  /** Writes the transition row of a move the caller has made (or of a task's creation, from null). */
  async record(
    tx: SqlExecutor,
    taskId: string,
    from: TaskState | null,
    to: TaskState,
    actor: string,
    reason: string,
    at: string,
  ): Promise<Transition> {
    const clean = this.context.redact(reason);
    const row = await tx.get<{ id: number }>(
      'INSERT INTO transitions (task_id, from_state, to_state, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      [taskId, from, to, actor, clean, at],
    );
    return { id: Number(row!.id), taskId, from, to, actor, reason: clean, at };
  }
}
