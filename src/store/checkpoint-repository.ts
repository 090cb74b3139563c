import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep } from '../evidence/redact.ts';
import { checkpointSchema, MAX_NEXT_ACTIONS, type Checkpoint, type NewCheckpoint } from './checkpoint-schema.ts';
import type { EventRepository } from './event-repository.ts';
import type { StoreContext } from './store-context.ts';
import { currentTask } from './task-rows.ts';

type CheckpointRow = {
  id: number;
  task_id: string;
  original_goal: string;
  goal_changed: number;
  current_track: string;
  what_changed: string;
  drift_discovered: string;
  blocked_on: string;
  next_actions: string;
  decision: string;
  outcome: string;
  created_at: string;
  created_by: string;
};

/** Coordinator checkpoints, each written with the `checkpoint` event that points at it. */
export class CheckpointRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly events: EventRepository,
  ) {}

  async record(input: NewCheckpoint): Promise<Checkpoint> {
    const { db, clock, redact } = this.context;
    if (input.nextActions.length > MAX_NEXT_ACTIONS)
      throw new PackgateError('INPUT_INVALID', `a checkpoint names at most ${MAX_NEXT_ACTIONS} next actions`);
    const clean = redactDeep(input, redact);
    return db.transaction(async tx => {
      // The task's row is locked, so two checkpoints of one task at once cannot count the same number.
      await currentTask(tx, clean.taskId, tx.forUpdate);
      const at = clock.stamp();
      const row = await tx.get<{ id: number }>(
        `INSERT INTO checkpoints (task_id, original_goal, goal_changed, current_track, what_changed, drift_discovered,
           blocked_on, next_actions, decision, outcome, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          clean.taskId,
          clean.originalGoal,
          clean.goalChanged ? 1 : 0,
          clean.currentTrack,
          clean.whatChanged,
          clean.driftDiscovered,
          clean.blockedOn,
          JSON.stringify(clean.nextActions),
          clean.decision,
          JSON.stringify(clean.outcome),
          at,
          clean.createdBy,
        ],
      );
      const id = Number(row!.id);
      // Numbered per task by counting, not stored: the same count list() makes by position.
      const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM checkpoints WHERE task_id = ? AND id <= ?', [
        clean.taskId,
        id,
      ]);
      const checkpoint: Checkpoint = { ...clean, id, number: Number(count!.n), createdAt: at };
      await this.events.record(
        tx,
        clean.taskId,
        'checkpoint',
        { checkpoint: checkpoint.id, decision: clean.decision, ...(clean.goalChanged ? { goalChanged: true } : {}) },
        clean.createdBy,
        at,
      );
      return checkpoint;
    });
  }

  /** The task's checkpoints, oldest first. */
  async list(taskId: string): Promise<Checkpoint[]> {
    const rows = await this.context.db.all<CheckpointRow>('SELECT * FROM checkpoints WHERE task_id = ? ORDER BY id', [
      taskId,
    ]);
    return rows.map((r, i) =>
      checkpointSchema.parse({
        id: Number(r.id),
        number: i + 1,
        taskId: r.task_id,
        originalGoal: r.original_goal,
        goalChanged: Number(r.goal_changed) === 1,
        currentTrack: r.current_track,
        whatChanged: r.what_changed,
        driftDiscovered: r.drift_discovered,
        blockedOn: r.blocked_on,
        nextActions: JSON.parse(r.next_actions),
        decision: r.decision,
        outcome: JSON.parse(r.outcome),
        createdAt: r.created_at,
        createdBy: r.created_by,
      }),
    );
  }
}
