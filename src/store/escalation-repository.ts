import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep } from '../evidence/redact.ts';
import { escalationSchema, type Escalation, type NewEscalation } from './escalation-schema.ts';
import type { EventRepository } from './event-repository.ts';
import type { Transition } from './queue-schema.ts';
import { storableJson, type SqlTransaction } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import { currentTask } from './task-rows.ts';
import { isLegalTransition } from './task-states.ts';
import type { TransitionRepository } from './transition-repository.ts';

type EscalationRow = {
  id: number;
  task_id: string;
  source: string;
  escalated_to: string | null;
  details: string | null;
  reason: string;
  crossed: string;
  paths: string;
  base_commit: string | null;
  head_commit: string | null;
  stop_conditions: string;
  moved: number;
  created_at: string;
  created_by: string;
};

/** Escalations: the record of what crossed which boundary, written with the move to escalated. */
export class EscalationRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly transitions: TransitionRepository,
    private readonly events: EventRepository,
  ) {}

  /**
   * Records the escalation, moves the task to escalated when it can move there (releasing its
   * hold), and notes an `escalation` event pointing at the record: all in one transaction.
   */
  raise(input: NewEscalation): Promise<{ escalation: Escalation; transition: Transition | null }> {
    return this.context.db.transaction(tx => this.raiseIn(tx, input));
  }

  /** The same, inside the caller's transaction (a checkpoint's escalation is written with it). */
  async raiseIn(
    tx: SqlTransaction,
    input: NewEscalation,
  ): Promise<{ escalation: Escalation; transition: Transition | null }> {
    const { clock, redact } = this.context;
    const clean = redactDeep(
      {
        ...input,
        source: input.source ?? 'drift',
        to: input.to ?? null,
        crossed: input.crossed ?? [],
        details: input.details ?? null,
      },
      redact,
    );
    if (clean.source === 'drift' && !clean.crossed.length)
      throw new PackgateError('INPUT_INVALID', `a drift escalation of ${clean.taskId} names no crossed boundary`, {
        hint: 'drift escalates only for a path that crossed a packet boundary',
      });
    const current = await currentTask(tx, clean.taskId, tx.forUpdate);
    const moved = isLegalTransition(current.state, 'escalated');
    const at = clock.stamp();
    const row = await tx.get<{ id: number }>(
      `INSERT INTO escalations (task_id, source, escalated_to, details, reason, crossed, paths, base_commit, head_commit,
         stop_conditions, moved, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        clean.taskId,
        clean.source,
        clean.to,
        clean.details === null ? null : storableJson(clean.details),
        clean.reason,
        storableJson(clean.crossed),
        storableJson(clean.paths),
        clean.base,
        clean.head,
        storableJson(clean.stopConditions),
        moved ? 1 : 0,
        at,
        clean.createdBy,
      ],
    );
    const escalation: Escalation = { ...clean, id: Number(row!.id), moved, createdAt: at };
    const transition = moved
      ? await this.transitions.move(tx, clean.taskId, current, 'escalated', clean.createdBy, clean.reason)
      : null;
    const files = clean.crossed.map(c => ({ path: c.path, kind: c.kind, boundary: c.boundary }));
    await this.events.record(
      tx,
      clean.taskId,
      'escalation',
      {
        escalation: escalation.id,
        ...(clean.source === 'drift' ? { files } : { source: clean.source, reason: clean.reason }),
        ...(clean.to ? { to: clean.to } : {}),
        ...(moved || clean.source !== 'drift' ? {} : { reason: clean.reason }),
      },
      clean.createdBy,
      at,
    );
    return { escalation, transition };
  }

  /** The task's escalations, oldest first. */
  async list(taskId: string): Promise<Escalation[]> {
    const rows = await this.context.db.all<EscalationRow>('SELECT * FROM escalations WHERE task_id = ? ORDER BY id', [
      taskId,
    ]);
    return rows.map(r =>
      escalationSchema.parse({
        id: Number(r.id),
        taskId: r.task_id,
        source: r.source,
        reason: r.reason,
        to: r.escalated_to,
        crossed: JSON.parse(r.crossed),
        paths: JSON.parse(r.paths),
        base: r.base_commit,
        head: r.head_commit,
        stopConditions: JSON.parse(r.stop_conditions),
        moved: Number(r.moved) === 1,
        details: r.details === null ? null : JSON.parse(r.details),
        createdAt: r.created_at,
        createdBy: r.created_by,
      }),
    );
  }
}
