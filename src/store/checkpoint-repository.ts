import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep } from '../evidence/redact.ts';
import { checkpointSchema, MAX_NEXT_ACTIONS, type Checkpoint, type NewCheckpoint } from './checkpoint-schema.ts';
import type { EscalationRepository } from './escalation-repository.ts';
import type { EventRepository } from './event-repository.ts';
import type { ActedCheckpoint, CheckpointActs } from './queue-store.ts';
import { storableJson, type SqlTransaction } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import type { TaskGraph } from './task-graph.ts';
import type { TaskRepository } from './task-repository.ts';
import { currentTask } from './task-rows.ts';
import type { TransitionRepository } from './transition-repository.ts';

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

/**
 * Coordinator checkpoints, each written with the `checkpoint` event that points at it and with what
 * its decision does (an escalation, a split's parts and their edges, a park): one transaction, so a
 * failure half-way (a part's id taken meanwhile, a cycle, a crash) leaves no checkpoint claiming it.
 */
export class CheckpointRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly events: EventRepository,
    private readonly acting: {
      tasks: TaskRepository;
      graph: TaskGraph;
      escalations: EscalationRepository;
      transitions: TransitionRepository;
    },
  ) {}

  async record(input: NewCheckpoint): Promise<Checkpoint> {
    return (await this.recordAndAct(input, () => ({}))).checkpoint;
  }

  async recordAndAct(input: NewCheckpoint, acts: (checkpoint: Checkpoint) => CheckpointActs): Promise<ActedCheckpoint> {
    if (input.nextActions.length > MAX_NEXT_ACTIONS)
      throw new PackgateError('INPUT_INVALID', `a checkpoint names at most ${MAX_NEXT_ACTIONS} next actions`);
    return this.context.db.transaction(async tx => {
      const checkpoint = await this.insert(tx, input);
      const act = acts(checkpoint);
      const { tasks, graph, escalations, transitions } = this.acting;
      const result: ActedCheckpoint = { checkpoint, escalation: null, transition: null, splitTasks: [] };
      if (act.escalation)
        ({ escalation: result.escalation, transition: result.transition } = await escalations.raiseIn(
          tx,
          act.escalation,
        ));
      for (const part of act.splitInto ?? []) result.splitTasks.push(await tasks.createIn(tx, part, input.createdBy));
      if (act.splitInto?.length)
        await graph.addIn(
          tx,
          input.taskId,
          act.splitInto.map(t => t.id),
          input.createdBy,
        );
      if (act.park) {
        const current = await currentTask(tx, input.taskId, tx.forUpdate);
        result.transition = await transitions.move(
          tx,
          input.taskId,
          current,
          'parked',
          act.park.actor,
          act.park.reason,
        );
      }
      return result;
    });
  }

  private async insert(tx: SqlTransaction, input: NewCheckpoint): Promise<Checkpoint> {
    const { clock, redact } = this.context;
    const clean = redactDeep(input, redact);
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
        storableJson(clean.nextActions),
        clean.decision,
        storableJson(clean.outcome),
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
