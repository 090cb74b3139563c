import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep } from '../evidence/redact.ts';
import type { EventRepository } from './event-repository.ts';
import type { Task, TaskSummary } from './queue-schema.ts';
import type { NewTask, PacketUpdate, TaskFilter } from './queue-store.ts';
import { byteOrder, limit, type SqlTransaction, storableJson, Where } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import type { TaskGraph } from './task-graph.ts';
import { currentTask, unknownTask } from './task-rows.ts';
import { PACKET_STATES } from './task-states.ts';
import { SUMMARY_COLUMNS, SUMMARY_FROM, toSummary, type SummaryRow, type TaskRow } from './task-summary.ts';
import type { TransitionRepository } from './transition-repository.ts';

/** Tasks and their packets: creating them, finding them, and what a worker can pick up next. */
export class TaskRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly transitions: TransitionRepository,
    private readonly events: EventRepository,
    private readonly graph: TaskGraph,
  ) {}

  create(input: NewTask, actor: string): Promise<Task> {
    return this.context.db.transaction(tx => this.createIn(tx, input, actor));
  }

  /** Creates the task inside the caller's transaction (a checkpoint's split makes its parts with it). */
  async createIn(tx: SqlTransaction, input: NewTask, actor: string): Promise<Task> {
    const { db, clock, redact } = this.context;
    const task = redactDeep(input, redact);
    const state = task.state ?? 'proposed';
    if (PACKET_STATES.has(state) && !task.packet)
      throw new PackgateError('TRANSITION_ILLEGAL', `task ${task.id} cannot be ${state} without a packet`);
    const at = clock.stamp();
    if (task.origin) await currentTask(tx, task.origin);
    try {
      await tx.run(
        `INSERT INTO tasks (id, title, state, kind, owner_lane, track_id, origin, packet, packet_digest, created_at, created_by, updated_at,
           workflow_pack) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          task.id,
          task.title,
          state,
          task.kind ?? 'feature',
          task.ownerLane ?? null,
          task.trackId ?? null,
          task.origin ?? null,
          task.packet ? storableJson(task.packet) : null,
          task.packetDigest ?? null,
          at,
          actor,
          at,
          packOf(task.packet),
        ],
      );
    } catch (error) {
      if (db.isUniqueViolation(error))
        throw new PackgateError('TASK_EXISTS', `task ${task.id} already exists`, {
          hint: `see it with: packgate task show ${task.id}`,
        });
      throw error;
    }
    await this.transitions.record(tx, task.id, null, state, actor, task.reason ?? 'created', at);
    // What was just written, without reading it back: creating is the hot path of a busy queue.
    return {
      id: task.id,
      title: task.title,
      state,
      kind: task.kind ?? 'feature',
      ownerLane: task.ownerLane ?? null,
      trackId: task.trackId ?? null,
      origin: task.origin ?? null,
      hasPacket: !!task.packet,
      legacyReason: null,
      createdAt: at,
      updatedAt: at,
      holder: null,
      packet: task.packet ?? null,
      packetDigest: task.packetDigest ?? null,
      createdBy: actor,
      dependsOn: [],
      workspace: null,
    };
  }

  async get(id: string): Promise<Task | undefined> {
    const row = await this.context.db.get<TaskRow>(
      `SELECT ${SUMMARY_COLUMNS}, t.packet, t.packet_digest, t.created_by, h.worktree, h.branch, h.base_commit
       FROM ${SUMMARY_FROM} WHERE t.id = ?`,
      [id],
    );
    if (!row) return undefined;
    return {
      ...toSummary(row, this.context.clock),
      packet: row.packet ? (JSON.parse(row.packet) as unknown) : null,
      packetDigest: row.packet_digest,
      createdBy: row.created_by,
      dependsOn: await this.graph.dependencies(id),
      workspace: row.session_id ? { worktree: row.worktree, branch: row.branch, base: row.base_commit } : null,
    };
  }

  async require(id: string): Promise<Task> {
    const task = await this.get(id);
    if (!task) throw await unknownTask(this.context.db, id);
    return task;
  }

  list(filter: TaskFilter = {}): Promise<TaskSummary[]> {
    const states = filter.states ?? [];
    return this.summaries(
      new Where()
        .when(states.length, `t.state IN (${states.map(() => '?').join(', ')})`, ...states)
        .when(filter.lane, 't.owner_lane = ?', filter.lane!)
        .when(filter.track, 't.track_id = ?', filter.track!)
        .when(filter.origin, 't.origin = ?', filter.origin!)
        .when(filter.heldBy, 'h.session_id = ?', filter.heldBy!)
        .when(filter.stale, 's.heartbeat_at < ?', this.context.clock.staleCutoff()),
      filter.limit,
    );
  }

  /** Ready tasks none of whose dependencies is unfinished. */
  next(filter: Pick<TaskFilter, 'lane' | 'track' | 'limit'> = {}): Promise<TaskSummary[]> {
    return this.summaries(
      new Where(
        `t.state = 'ready'`,
        `NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks u ON u.id = d.depends_on
           WHERE d.task_id = t.id AND u.state <> 'done')`,
      )
        .when(filter.lane, 't.owner_lane = ?', filter.lane!)
        .when(filter.track, 't.track_id = ?', filter.track!),
      filter.limit,
    );
  }

  async setPacket(
    id: string,
    update: PacketUpdate,
    actor: string,
    options: { readyIfProposed?: boolean } = {},
  ): Promise<Task> {
    const { db, clock, redact } = this.context;
    const clean = redactDeep(update, redact);
    await db.transaction(async tx => {
      const current = await currentTask(tx, id);
      if (current.state === 'done')
        throw new PackgateError('TRANSITION_ILLEGAL', `task ${id} is done; its packet is final`, {
          hint: 'open a new task',
        });
      const at = clock.stamp();
      await tx.run(
        'UPDATE tasks SET packet = ?, packet_digest = ?, title = ?, kind = ?, owner_lane = ?, track_id = ?, updated_at = ?, workflow_pack = ? WHERE id = ?',
        [
          storableJson(clean.packet),
          clean.digest,
          clean.title,
          clean.kind,
          clean.ownerLane,
          clean.trackId,
          at,
          packOf(clean.packet),
          id,
        ],
      );
      await this.events.record(tx, id, 'packet', { digest: update.digest, previous: current.packet_digest }, actor, at);
      if (options.readyIfProposed && current.state === 'proposed')
        await this.transitions.move(
          tx,
          id,
          { ...current, packet_digest: update.digest },
          'ready',
          actor,
          'packet attached',
        );
    });
    return this.require(id);
  }

  /** Oldest first, as `task list` shows them; tasks of one time by id, in byte order on both adapters. */
  private async summaries(where: Where, count: number | undefined): Promise<TaskSummary[]> {
    const { db } = this.context;
    const rows = await db.all<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM}${where}
       ORDER BY ${byteOrder(db.dialect, 't.created_at')}, ${byteOrder(db.dialect, 't.id')}${limit(count)}`,
      where.params,
    );
    return rows.map(row => toSummary(row, this.context.clock));
  }
}

/** The pack a packet names (`workflow_regression_pack`), kept in its own column for queue health. */
export function packOf(packet: Record<string, unknown> | null | undefined): string | null {
  const pack = packet?.workflow_regression_pack;
  return typeof pack === 'string' ? pack : null;
}
