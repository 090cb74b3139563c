import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep, type Redactor } from '../evidence/redact.ts';
import type {
  GateRun,
  NewGateRun,
  Session,
  Task,
  TaskEvent,
  TaskEventKind,
  TaskState,
  TaskSummary,
  Transition,
} from './queue-schema.ts';
import type { BlobStore } from './blobs.ts';
import { readGateRuns, writeGateRun } from './gate-run-rows.ts';
import type {
  ClaimRequest,
  NewTask,
  PacketUpdate,
  QueueStore,
  ReleaseRequest,
  SessionInfo,
  StoreOptions,
  StoreStats,
  TaskFilter,
  TransitionRequest,
} from './queue-store.ts';
import { limit, Where, type SqlDatabase, type SqlExecutor } from './sql.ts';
import { EventRepository } from './event-repository.ts';
import { HoldRepository } from './hold-repository.ts';
import { SessionRepository } from './session-repository.ts';
import { createStoreContext, type StoreClock } from './store-context.ts';
import { currentTask, unknownTask } from './task-rows.ts';
import { PACKET_STATES } from './task-states.ts';
import { TransitionRepository } from './transition-repository.ts';

/** The columns of `task list`: a task and its hold, without the packet. */
const SUMMARY_COLUMNS = `t.id, t.title, t.state, t.owner_lane, t.track_id, t.origin, t.created_at, t.updated_at,
  CASE WHEN t.packet IS NULL THEN 0 ELSE 1 END AS has_packet,
  h.session_id, h.claimed_at, s.heartbeat_at AS session_heartbeat`;
const SUMMARY_FROM = `tasks t LEFT JOIN holds h ON h.task_id = t.id LEFT JOIN sessions s ON s.id = h.session_id`;

type SummaryRow = {
  id: string;
  title: string;
  state: TaskState;
  owner_lane: string | null;
  track_id: string | null;
  origin: string | null;
  created_at: string;
  updated_at: string;
  has_packet: number;
  session_id: string | null;
  claimed_at: string | null;
  session_heartbeat: string | null;
};

/** The store over any SqlDatabase; the adapters differ only in their database and where blobs live. */
export class SqlQueueStore implements QueueStore {
  private readonly clock: StoreClock;
  private readonly redact: Redactor;
  private readonly repos: {
    events: EventRepository;
    transitions: TransitionRepository;
    sessions: SessionRepository;
    holds: HoldRepository;
  };

  constructor(
    private readonly db: SqlDatabase,
    readonly blobs: BlobStore,
    readonly location: string,
    readonly schemaVersion: number,
    options: StoreOptions = {},
  ) {
    const context = createStoreContext(db, options);
    ({ clock: this.clock, redact: this.redact } = context);
    const events = new EventRepository(context);
    const transitions = new TransitionRepository(context, events);
    const sessions = new SessionRepository(context);
    const holds = new HoldRepository(context, transitions, sessions, events);
    this.repos = { events, transitions, sessions, holds };
  }

  get kind(): 'sqlite' | 'postgres' {
    return this.db.dialect;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async createTask(input: NewTask, actor: string): Promise<Task> {
    const task = redactDeep(input, this.redact);
    const state = task.state ?? 'proposed';
    if (PACKET_STATES.has(state) && !task.packet)
      throw new PackgateError('TRANSITION_ILLEGAL', `task ${task.id} cannot be ${state} without a packet`);
    const at = this.clock.stamp();
    await this.db.transaction(async tx => {
      if (task.origin) await currentTask(tx, task.origin);
      try {
        await tx.run(
          `INSERT INTO tasks (id, title, state, owner_lane, track_id, origin, packet, packet_digest, created_at, created_by, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            task.id,
            task.title,
            state,
            task.ownerLane ?? null,
            task.trackId ?? null,
            task.origin ?? null,
            task.packet ? JSON.stringify(task.packet) : null,
            task.packetDigest ?? null,
            at,
            actor,
            at,
          ],
        );
      } catch (error) {
        if (this.db.isUniqueViolation(error))
          throw new PackgateError('TASK_EXISTS', `task ${task.id} already exists`, {
            hint: `see it with: packgate task show ${task.id}`,
          });
        throw error;
      }
      await this.repos.transitions.record(tx, task.id, null, state, actor, task.reason ?? 'created', at);
    });
    // What was just written, without reading it back: creating is the hot path of a busy queue.
    return {
      id: task.id,
      title: task.title,
      state,
      ownerLane: task.ownerLane ?? null,
      trackId: task.trackId ?? null,
      origin: task.origin ?? null,
      hasPacket: !!task.packet,
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

  async getTask(id: string): Promise<Task | undefined> {
    const row = await this.db.get<
      SummaryRow & {
        packet: string | null;
        packet_digest: string | null;
        created_by: string;
        worktree: string | null;
        branch: string | null;
        base_commit: string | null;
      }
    >(
      `SELECT ${SUMMARY_COLUMNS}, t.packet, t.packet_digest, t.created_by, h.worktree, h.branch, h.base_commit
       FROM ${SUMMARY_FROM} WHERE t.id = ?`,
      [id],
    );
    if (!row) return undefined;
    const deps = await this.db.all<{ depends_on: string }>(
      'SELECT depends_on FROM task_dependencies WHERE task_id = ? ORDER BY depends_on',
      [id],
    );
    return {
      ...this.summary(row),
      packet: row.packet ? (JSON.parse(row.packet) as unknown) : null,
      packetDigest: row.packet_digest,
      createdBy: row.created_by,
      dependsOn: deps.map(d => d.depends_on),
      workspace: row.session_id ? { worktree: row.worktree, branch: row.branch, base: row.base_commit } : null,
    };
  }

  async requireTask(id: string): Promise<Task> {
    const task = await this.getTask(id);
    if (!task) throw unknownTask(id);
    return task;
  }

  async listTasks(filter: TaskFilter = {}): Promise<TaskSummary[]> {
    const states = filter.states ?? [];
    const where = new Where()
      .when(states.length, `t.state IN (${states.map(() => '?').join(', ')})`, ...states)
      .when(filter.lane, 't.owner_lane = ?', filter.lane!)
      .when(filter.track, 't.track_id = ?', filter.track!)
      .when(filter.origin, 't.origin = ?', filter.origin!)
      .when(filter.heldBy, 'h.session_id = ?', filter.heldBy!)
      .when(filter.stale, 's.heartbeat_at < ?', this.clock.staleCutoff());
    const rows = await this.db.all<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM}${where} ORDER BY t.created_at, t.id${limit(filter.limit)}`,
      where.params,
    );
    return rows.map(row => this.summary(row));
  }

  async nextTasks(filter: Pick<TaskFilter, 'lane' | 'track' | 'limit'> = {}): Promise<TaskSummary[]> {
    const where = new Where(
      `t.state = 'ready'`,
      `NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks u ON u.id = d.depends_on
         WHERE d.task_id = t.id AND u.state <> 'done')`,
    )
      .when(filter.lane, 't.owner_lane = ?', filter.lane!)
      .when(filter.track, 't.track_id = ?', filter.track!);
    const rows = await this.db.all<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM}${where} ORDER BY t.created_at, t.id${limit(filter.limit)}`,
      where.params,
    );
    return rows.map(row => this.summary(row));
  }

  async setPacket(
    id: string,
    update: PacketUpdate,
    actor: string,
    options: { readyIfProposed?: boolean } = {},
  ): Promise<Task> {
    const clean = redactDeep(update, this.redact);
    await this.db.transaction(async tx => {
      const current = await currentTask(tx, id);
      if (current.state === 'done')
        throw new PackgateError('TRANSITION_ILLEGAL', `task ${id} is done; its packet is final`, {
          hint: 'open a new task',
        });
      const at = this.clock.stamp();
      await tx.run(
        'UPDATE tasks SET packet = ?, packet_digest = ?, title = ?, owner_lane = ?, track_id = ?, updated_at = ? WHERE id = ?',
        [JSON.stringify(clean.packet), clean.digest, clean.title, clean.ownerLane, clean.trackId, at, id],
      );
      await this.repos.events.record(
        tx,
        id,
        'packet',
        { digest: update.digest, previous: current.packet_digest },
        actor,
        at,
      );
      if (options.readyIfProposed && current.state === 'proposed')
        await this.repos.transitions.move(
          tx,
          id,
          { ...current, packet_digest: update.digest },
          'ready',
          actor,
          'packet attached',
        );
    });
    return this.requireTask(id);
  }

  transition(id: string, request: TransitionRequest): Promise<Transition> {
    return this.repos.transitions.request(id, request);
  }

  transitions(id: string): Promise<Transition[]> {
    return this.repos.transitions.list(id);
  }

  addDependencies(id: string, on: readonly string[], actor: string): Promise<void> {
    return this.db.transaction(async tx => {
      // One graph change at a time: two edges that each look fine alone can close a cycle together.
      await tx.lock('packgate:task-graph');
      await currentTask(tx, id);
      for (const target of on) {
        await currentTask(tx, target);
        if (target === id) throw cycle([id, id]);
        const path = await this.pathBetween(tx, target, id);
        if (path) throw cycle([id, ...path]);
        const added = await tx.run(
          `INSERT INTO task_dependencies (task_id, depends_on) SELECT ?, ? WHERE NOT EXISTS
             (SELECT 1 FROM task_dependencies WHERE task_id = ? AND depends_on = ?)`,
          [id, target, id, target],
        );
        if (added) await this.repos.events.record(tx, id, 'note', { dependsOn: target }, actor, this.clock.stamp());
      }
    });
  }

  registerSession(session: SessionInfo): Promise<Session> {
    return this.repos.sessions.register(session);
  }

  heartbeat(sessionId: string): Promise<Session> {
    return this.repos.sessions.heartbeat(sessionId);
  }

  sessions(): Promise<Session[]> {
    return this.repos.sessions.list();
  }

  claim(taskId: string, request: ClaimRequest): Promise<Transition> {
    return this.repos.holds.claim(taskId, request);
  }

  release(taskId: string, request: ReleaseRequest): Promise<Transition> {
    return this.repos.holds.release(taskId, request);
  }

  releaseStale(actor: string): Promise<Array<{ taskId: string; session: string; heartbeatAt: string }>> {
    return this.repos.holds.releaseStale(actor);
  }

  addEvent(taskId: string, kind: TaskEventKind, body: Record<string, unknown>, actor: string): Promise<TaskEvent> {
    return this.repos.events.add(taskId, kind, body, actor);
  }

  events(taskId: string, kind?: TaskEventKind): Promise<TaskEvent[]> {
    return this.repos.events.list(taskId, kind);
  }

  async recordGateRun(input: NewGateRun): Promise<GateRun> {
    const run = redactDeep(input, this.redact);
    for (const file of run.evidence)
      if (!(await this.blobs.has(file.digest)))
        throw new PackgateError(
          'EVIDENCE_INVALID',
          `evidence ${file.path} (sha256 ${file.digest}) is not in the store`,
          { hint: 'put its content in the store before recording the run' },
        );
    const id = await this.db.transaction(async tx => {
      if (run.taskId) await currentTask(tx, run.taskId);
      return writeGateRun(tx, run, this.clock.stamp());
    });
    return (await readGateRuns(this.db, { id }))[0];
  }

  gateRuns(filter: { taskId?: string; environment?: string; limit?: number } = {}): Promise<GateRun[]> {
    return readGateRuns(this.db, filter);
  }

  async stats(): Promise<StoreStats> {
    const count = async (table: string) =>
      Number((await this.db.get<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table}`))!.n);
    return {
      tasks: await count('tasks'),
      transitions: await count('transitions'),
      events: await count('task_events'),
      sessions: await count('sessions'),
      holds: await count('holds'),
      gateRuns: await count('gate_runs'),
      evidence: await count('evidence'),
    };
  }

  /** A path of dependencies from `from` to `to`, if there is one (breadth first, so the shortest). */
  private async pathBetween(tx: SqlExecutor, from: string, to: string): Promise<string[] | undefined> {
    const previous = new Map<string, string | null>([[from, null]]);
    let frontier = [from];
    while (frontier.length) {
      const next: string[] = [];
      for (const node of frontier) {
        if (node === to) {
          const path = [];
          for (let at: string | null = node; at !== null; at = previous.get(at) ?? null) path.unshift(at);
          return path;
        }
        const edges = await tx.all<{ depends_on: string }>(
          'SELECT depends_on FROM task_dependencies WHERE task_id = ?',
          [node],
        );
        for (const { depends_on: target } of edges) {
          if (previous.has(target)) continue;
          previous.set(target, node);
          next.push(target);
        }
      }
      frontier = next;
    }
    return undefined;
  }

  private summary(row: SummaryRow): TaskSummary {
    return {
      id: row.id,
      title: row.title,
      state: row.state,
      ownerLane: row.owner_lane,
      trackId: row.track_id,
      origin: row.origin,
      hasPacket: Number(row.has_packet) === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      holder: row.session_id
        ? {
            session: row.session_id,
            since: row.claimed_at!,
            heartbeatAt: row.session_heartbeat!,
            stale: this.clock.isStale(row.session_heartbeat!),
          }
        : null,
    };
  }
}

function cycle(path: string[]): PackgateError {
  return new PackgateError(
    'DEPENDENCY_CYCLE',
    `task ${path[0]} cannot depend on ${path[1]}: that would close a cycle ${path.join(' -> ')}`,
    { hint: 'a task graph has no cycles; split the work or drop one of the dependencies' },
  );
}
