import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep, type Redactor } from '../evidence/redact.ts';
import type {
  GateRun,
  NewGateRun,
  Session,
  Task,
  TaskEvent,
  TaskEventKind,
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
import type { SqlDatabase } from './sql.ts';
import { EventRepository } from './event-repository.ts';
import { HoldRepository } from './hold-repository.ts';
import { SessionRepository } from './session-repository.ts';
import { TaskGraph } from './task-graph.ts';
import { TaskRepository } from './task-repository.ts';
import { createStoreContext, type StoreClock } from './store-context.ts';
import { currentTask } from './task-rows.ts';
import { TransitionRepository } from './transition-repository.ts';

/** The store over any SqlDatabase; the adapters differ only in their database and where blobs live. */
export class SqlQueueStore implements QueueStore {
  private readonly clock: StoreClock;
  private readonly redact: Redactor;
  private readonly repos: {
    tasks: TaskRepository;
    graph: TaskGraph;
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
    const graph = new TaskGraph(context, events);
    const tasks = new TaskRepository(context, transitions, events, graph);
    this.repos = { tasks, graph, transitions, sessions, holds, events };
  }

  get kind(): 'sqlite' | 'postgres' {
    return this.db.dialect;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  createTask(task: NewTask, actor: string): Promise<Task> {
    return this.repos.tasks.create(task, actor);
  }

  getTask(id: string): Promise<Task | undefined> {
    return this.repos.tasks.get(id);
  }

  requireTask(id: string): Promise<Task> {
    return this.repos.tasks.require(id);
  }

  listTasks(filter?: TaskFilter): Promise<TaskSummary[]> {
    return this.repos.tasks.list(filter);
  }

  nextTasks(filter?: Pick<TaskFilter, 'lane' | 'track' | 'limit'>): Promise<TaskSummary[]> {
    return this.repos.tasks.next(filter);
  }

  setPacket(id: string, update: PacketUpdate, actor: string, options?: { readyIfProposed?: boolean }): Promise<Task> {
    return this.repos.tasks.setPacket(id, update, actor, options);
  }

  transition(id: string, request: TransitionRequest): Promise<Transition> {
    return this.repos.transitions.request(id, request);
  }

  transitions(id: string): Promise<Transition[]> {
    return this.repos.transitions.list(id);
  }

  addDependencies(id: string, on: readonly string[], actor: string): Promise<void> {
    return this.repos.graph.add(id, on, actor);
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
}
