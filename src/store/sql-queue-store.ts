import type {
  EvidenceRef,
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
import { CheckpointRepository } from './checkpoint-repository.ts';
import type { Checkpoint, NewCheckpoint } from './checkpoint-schema.ts';
import { DashboardReads } from './dashboard-reads.ts';
import { EscalationRepository } from './escalation-repository.ts';
import type { Escalation, NewEscalation } from './escalation-schema.ts';
import { EventRepository } from './event-repository.ts';
import { GateRunRepository } from './gate-run-repository.ts';
import { HoldRepository } from './hold-repository.ts';
import { ReleaseHoldRepository, type ReleaseHoldFilter } from './release-hold-repository.ts';
import type { HoldClearRequest, NewReleaseHold, ReleaseHold, ReleaseHoldView } from './release-hold-schema.ts';
import type {
  ActedCheckpoint,
  CheckpointActs,
  ClaimRequest,
  GateRunFilter,
  NewTask,
  PacketUpdate,
  QueueStore,
  RecordedGateRun,
  ReleaseRequest,
  SessionInfo,
  StoreOptions,
  StoreStats,
  TaskFilter,
  TransitionRequest,
} from './queue-store.ts';
import { readQueueSnapshot, type QueueSnapshot } from './queue-snapshot.ts';
import { SessionRepository } from './session-repository.ts';
import type { SqlDatabase } from './sql.ts';
import { createStoreContext, type StoreContext } from './store-context.ts';
import { ManualVerdictRepository } from './manual-verdict-repository.ts';
import type { ManualVerdict, ManualVerdictFilter, NewManualVerdict } from './manual-verdict-schema.ts';
import { countRows } from './store-stats.ts';
import { TaskGraph } from './task-graph.ts';
import { TaskImportRepository, type ImportedTask, type LegacyMark } from './task-import-repository.ts';
import { TaskRepository } from './task-repository.ts';
import { TransitionRepository } from './transition-repository.ts';
import { WatchCloseoutRepository } from './watch-closeout-repository.ts';
import type { NewWatchCloseout, WatchCloseout, WatchCloseoutFilter } from './watch-closeout-schema.ts';

/**
 * The queue store over any SqlDatabase (the adapters differ only in their database and where blobs
 * live): one repository per kind of record, all over the one executor, clock and redactor, composed
 * behind the QueueStore interface. A write that touches several kinds of record (a claim: the hold,
 * the session, the move and its event) runs in the one transaction its repository opens.
 */
export class SqlQueueStore implements QueueStore {
  private readonly repos: {
    tasks: TaskRepository;
    graph: TaskGraph;
    transitions: TransitionRepository;
    sessions: SessionRepository;
    holds: HoldRepository;
    events: EventRepository;
    gateRuns: GateRunRepository;
    escalations: EscalationRepository;
    releaseHolds: ReleaseHoldRepository;
    watchCloseouts: WatchCloseoutRepository;
    checkpoints: CheckpointRepository;
    imports: TaskImportRepository;
    manualVerdicts: ManualVerdictRepository;
  };
  private readonly context: StoreContext;
  readonly dashboard: DashboardReads;

  constructor(
    private readonly db: SqlDatabase,
    readonly blobs: BlobStore,
    readonly location: string,
    readonly schemaVersion: number,
    options: StoreOptions = {},
  ) {
    const context = createStoreContext(db, options);
    this.context = context;
    const events = new EventRepository(context);
    const transitions = new TransitionRepository(context, events);
    const sessions = new SessionRepository(context);
    const graph = new TaskGraph(context, events);
    const tasks = new TaskRepository(context, transitions, events, graph);
    const escalations = new EscalationRepository(context, transitions, events);
    this.repos = {
      tasks,
      graph,
      transitions,
      sessions,
      holds: new HoldRepository(context, transitions, sessions, events),
      events,
      gateRuns: new GateRunRepository(context, blobs),
      escalations,
      releaseHolds: new ReleaseHoldRepository(context, events),
      watchCloseouts: new WatchCloseoutRepository(context, events, blobs),
      checkpoints: new CheckpointRepository(context, events, { tasks, graph, escalations, transitions }),
      imports: new TaskImportRepository(context, events),
      manualVerdicts: new ManualVerdictRepository(context, blobs),
    };
    this.dashboard = new DashboardReads(context, this);
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

  endSession(sessionId: string): Promise<void> {
    return this.repos.sessions.end(sessionId);
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

  recordGateRun(run: NewGateRun): Promise<RecordedGateRun> {
    return this.repos.gateRuns.record(run);
  }

  addGateRunFiles(runId: number, files: readonly EvidenceRef[]): Promise<GateRun> {
    return this.repos.gateRuns.addFiles(runId, files);
  }

  gateRuns(filter?: GateRunFilter): Promise<GateRun[]> {
    return this.repos.gateRuns.list(filter);
  }

  escalate(escalation: NewEscalation): Promise<{ escalation: Escalation; transition: Transition | null }> {
    return this.repos.escalations.raise(escalation);
  }

  escalations(taskId: string): Promise<Escalation[]> {
    return this.repos.escalations.list(taskId);
  }

  openReleaseHold(hold: NewReleaseHold): Promise<ReleaseHold> {
    return this.repos.releaseHolds.open(hold);
  }

  clearReleaseHolds(taskId: string, request: HoldClearRequest): Promise<ReleaseHold[]> {
    return this.repos.releaseHolds.clear(taskId, request);
  }

  releaseHolds(filter?: ReleaseHoldFilter): Promise<ReleaseHoldView[]> {
    return this.repos.releaseHolds.list(filter);
  }

  closeWatch(closeout: NewWatchCloseout): Promise<WatchCloseout> {
    return this.repos.watchCloseouts.close(closeout);
  }

  watchCloseouts(filter?: WatchCloseoutFilter): Promise<WatchCloseout[]> {
    return this.repos.watchCloseouts.list(filter);
  }

  recordManualVerdict(verdict: NewManualVerdict): Promise<ManualVerdict> {
    return this.repos.manualVerdicts.record(verdict);
  }

  manualVerdicts(filter: ManualVerdictFilter): Promise<ManualVerdict[]> {
    return this.repos.manualVerdicts.latest(filter);
  }

  recordCheckpoint(checkpoint: NewCheckpoint): Promise<Checkpoint> {
    return this.repos.checkpoints.record(checkpoint);
  }

  checkpointAndAct(
    checkpoint: NewCheckpoint,
    acts: (checkpoint: Checkpoint) => CheckpointActs,
  ): Promise<ActedCheckpoint> {
    return this.repos.checkpoints.recordAndAct(checkpoint, acts);
  }

  checkpoints(taskId: string): Promise<Checkpoint[]> {
    return this.repos.checkpoints.list(taskId);
  }

  importTasks(tasks: readonly ImportedTask[], actor: string): Promise<number> {
    return this.repos.imports.import(tasks, actor);
  }

  markLegacy(
    taskId: string,
    reason: string | null,
    actor: string,
    check?: (current: LegacyMark) => void,
  ): Promise<void> {
    return this.repos.imports.markLegacy(taskId, reason, actor, check);
  }

  queueSnapshot(): Promise<QueueSnapshot> {
    return readQueueSnapshot(this.context);
  }

  stats(): Promise<StoreStats> {
    return countRows(this.db);
  }
}
