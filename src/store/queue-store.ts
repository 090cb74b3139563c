import type {
  EvidenceRef,
  GateRun,
  NewGateRun,
  Session,
  Task,
  TaskEvent,
  TaskEventKind,
  TaskKind,
  TaskState,
  TaskSummary,
  Transition,
} from './queue-schema.ts';
import type { BlobStore } from './blobs.ts';
import type { Checkpoint, NewCheckpoint } from './checkpoint-schema.ts';
import type { DashboardReads } from './dashboard-reads.ts';
import type { Escalation, NewEscalation } from './escalation-schema.ts';
import type { ManualVerdict, ManualVerdictFilter, NewManualVerdict } from './manual-verdict-schema.ts';
import type { QueueSnapshot } from './queue-snapshot.ts';
import type { ImportedTask, LegacyMark } from './task-import-repository.ts';
import type { ReleaseHoldFilter } from './release-hold-repository.ts';
import type { NewWatchCloseout, WatchCloseout, WatchCloseoutFilter } from './watch-closeout-schema.ts';
import type { HoldClearRequest, NewReleaseHold, ReleaseHold, ReleaseHoldView } from './release-hold-schema.ts';

/**
 * The queue store: tasks with their context packets, a state machine whose every move is recorded,
 * a task graph, a registry of worker sessions and their holds, gate runs with evidence by digest,
 * and escalations. One interface; SQLite (embedded, the default) and PostgreSQL (shared) behind it, held to
 * the same contract by test/store/contract.
 */
export interface QueueStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the store is, safe to print (a PostgreSQL URL's password is masked). */
  readonly location: string;
  readonly schemaVersion: number;
  readonly blobs: BlobStore;
  /** Reads for the dashboard: pages of tasks and runs, the release view, trends, health. */
  readonly dashboard: DashboardReads;
  close(): Promise<void>;

  /** Records a new task and its first transition (from nothing to `state`). TASK_EXISTS if the id is taken. */
  createTask(task: NewTask, actor: string): Promise<Task>;
  getTask(id: string): Promise<Task | undefined>;
  /** The task, or TASK_UNKNOWN. */
  requireTask(id: string): Promise<Task>;
  listTasks(filter?: TaskFilter): Promise<TaskSummary[]>;
  /** Ready tasks none of whose dependencies is unfinished: what a worker can pick up now. */
  nextTasks(filter?: Pick<TaskFilter, 'lane' | 'track' | 'limit'>): Promise<TaskSummary[]>;
  /**
   * Attaches or replaces the task's packet, recording a `packet` event. Refused once the task is done.
   * With `readyIfProposed`, a proposed task becomes ready in the same transaction.
   */
  setPacket(id: string, packet: PacketUpdate, actor: string, options?: { readyIfProposed?: boolean }): Promise<Task>;

  /**
   * Moves a task, refusing an illegal move (TRANSITION_ILLEGAL) and a move from a state it is no
   * longer in (TASK_CONFLICT when `from` is given). Moving to in_progress takes a hold: use `claim`.
   * Leaving in_progress releases the hold.
   */
  transition(id: string, request: TransitionRequest): Promise<Transition>;
  transitions(id: string): Promise<Transition[]>;
  /** Adds `id depends on each of on`; DEPENDENCY_CYCLE when that would close a loop. */
  addDependencies(id: string, on: readonly string[], actor: string): Promise<void>;

  /** Registers a session, or refreshes its heartbeat if it exists. */
  registerSession(session: SessionInfo): Promise<Session>;
  /** SESSION_UNKNOWN for a session never registered. */
  heartbeat(sessionId: string): Promise<Session>;
  sessions(): Promise<Session[]>;
  /** Ends a session (it leaves the registry); TASK_HELD while it holds a task, SESSION_UNKNOWN if it is not there. */
  endSession(sessionId: string): Promise<void>;
  /**
   * Moves the task to in_progress held by `session`, atomically: of two sessions claiming one task,
   * exactly one wins and the other gets TASK_HELD. A stale hold is released first (and recorded).
   */
  claim(taskId: string, request: ClaimRequest): Promise<Transition>;
  /** Gives up a hold: by its session, by anyone once it is stale, or with `force`. */
  release(taskId: string, request: ReleaseRequest): Promise<Transition>;
  /** Releases every stale hold back to ready, recording why; returns what it released. */
  releaseStale(actor: string): Promise<Array<{ taskId: string; session: string; heartbeatAt: string }>>;

  addEvent(taskId: string, kind: TaskEventKind, body: Record<string, unknown>, actor: string): Promise<TaskEvent>;
  events(taskId: string, kind?: TaskEventKind): Promise<TaskEvent[]>;

  /**
   * Records a gate run whose evidence is already in `blobs` (EVIDENCE_INVALID otherwise). A run whose
   * subject digest is recorded already is that record (`created: false`), also when two writers
   * record it at once; asked for on another task than the one it is on, it is refused (INPUT_INVALID).
   */
  recordGateRun(run: NewGateRun): Promise<RecordedGateRun>;
  /**
   * Adds files the run published after it was recorded (its attestation, late reports), each in
   * `blobs` already; a path the run has keeps its first copy. GATE_RUN_UNKNOWN for an unknown run.
   */
  addGateRunFiles(runId: number, files: readonly EvidenceRef[]): Promise<GateRun>;
  gateRuns(filter?: GateRunFilter): Promise<GateRun[]>;

  /**
   * Records an escalation and moves its task to escalated (when it can move there; its hold is
   * released), with an `escalation` event pointing at the record, in one transaction.
   */
  escalate(escalation: NewEscalation): Promise<{ escalation: Escalation; transition: Transition | null }>;
  /** The task's escalations, oldest first. */
  escalations(taskId: string): Promise<Escalation[]>;

  /** Opens a release hold of the task on a pack (an uncleared one there already is returned). */
  openReleaseHold(hold: NewReleaseHold): Promise<ReleaseHold>;
  /** Clears the task's holds (coverage for good, risk until a date), with an event; NO_RELEASE_HOLD if none. */
  clearReleaseHolds(taskId: string, request: HoldClearRequest): Promise<ReleaseHold[]>;
  /** Holds with their tasks; `activeOnly`: those that hold now. One read. */
  releaseHolds(filter?: ReleaseHoldFilter): Promise<ReleaseHoldView[]>;

  /**
   * Closes a watched run out: its closeout record and the task's `watch` {phase: closed} event, in
   * one transaction. A run id closed out already is refused (INPUT_INVALID); evidence digests must be in `blobs`.
   */
  closeWatch(closeout: NewWatchCloseout): Promise<WatchCloseout>;
  /** Closeouts of watched runs, oldest first. */
  watchCloseouts(filter?: WatchCloseoutFilter): Promise<WatchCloseout[]>;
  /** Records a coordinator checkpoint with a `checkpoint` event pointing at it, and nothing else. */
  recordCheckpoint(checkpoint: NewCheckpoint): Promise<Checkpoint>;
  /**
   * Records a checkpoint and what its decision does (`acts`, made from the recorded checkpoint,
   * whose number its reasons name) in one transaction: all of it, or on any failure none of it.
   */
  checkpointAndAct(
    checkpoint: NewCheckpoint,
    acts: (checkpoint: Checkpoint) => CheckpointActs,
  ): Promise<ActedCheckpoint>;
  /** The task's checkpoints, oldest first. */
  checkpoints(taskId: string): Promise<Checkpoint[]>;
  /** Records a person's verdict of a manual check; its evidence must be in `blobs` (EVIDENCE_INVALID otherwise). */
  recordManualVerdict(verdict: NewManualVerdict): Promise<ManualVerdict>;
  /** The latest recorded verdict of each pack and manual check in an environment, expired ones included. */
  manualVerdicts(filter: ManualVerdictFilter): Promise<ManualVerdict[]>;
  /** Imports tasks with their dates and events, all or none (TASK_EXISTS naming every id taken). */
  importTasks(tasks: readonly ImportedTask[], actor: string): Promise<number>;
  /**
   * Marks a task as legacy debt with why (null clears the mark). `check` sees the mark as it stands
   * in the same transaction: what it throws refuses the change, writing nothing.
   */
  markLegacy(
    taskId: string,
    reason: string | null,
    actor: string,
    check?: (current: LegacyMark) => void,
  ): Promise<void>;
  /** What queue health judges, in a few queries whatever the number of tasks. */
  queueSnapshot(): Promise<QueueSnapshot>;

  /** Row counts, for load tests and benchmarks. */
  stats(): Promise<StoreStats>;
}

/** What a checkpoint's decision writes with it: an escalation, a split's parts (the task then depends on them), a park. */
export type CheckpointActs = {
  escalation?: NewEscalation;
  splitInto?: NewTask[];
  /** Parks the task (releasing its hold), with this reason. */
  park?: { reason: string; actor: string };
};

export type ActedCheckpoint = {
  checkpoint: Checkpoint;
  escalation: Escalation | null;
  transition: Transition | null;
  splitTasks: Task[];
};

export type NewTask = {
  id: string;
  title: string;
  /** proposed (default) or ready; ready needs a packet. */
  state?: 'proposed' | 'ready';
  /** feature (default), bugfix, coverage, ...: the packet's kind. */
  kind?: TaskKind;
  ownerLane?: string | null;
  trackId?: string | null;
  origin?: string | null;
  packet?: PacketUpdate['packet'] | null;
  packetDigest?: string | null;
  reason?: string;
};

export type PacketUpdate = {
  packet: Record<string, unknown>;
  digest: string;
  title: string;
  kind: TaskKind;
  ownerLane: string;
  trackId: string;
};

export type TaskFilter = {
  states?: readonly TaskState[];
  lane?: string;
  track?: string;
  /** Only tasks held by this session. */
  heldBy?: string;
  /** Only tasks whose hold is stale. */
  stale?: boolean;
  origin?: string;
  limit?: number;
};

/** A gate run as the store holds it, and whether this call wrote it or found it there. */
export type RecordedGateRun = { run: GateRun; created: boolean };

export type GateRunFilter = {
  /** One run, by its number. */
  id?: number;
  taskId?: string;
  environment?: string;
  /** The run recorded from the output folder of this subject digest (src/loop/subject-digest.ts). */
  subjectDigest?: string;
  limit?: number;
};

export type TransitionRequest = {
  to: TaskState;
  actor: string;
  reason: string;
  /** The state the caller saw: the move is refused (TASK_CONFLICT) if the task has moved since. */
  from?: TaskState;
  /** An event recorded in the same transaction as the move (e.g. the handoff that moves it to review). */
  event?: { kind: TaskEventKind; body: Record<string, unknown> };
};

export type SessionInfo = { id: string; actor: string; host: string; pid?: number | null };

export type ClaimRequest = {
  session: SessionInfo;
  actor: string;
  reason: string;
  worktree?: string | null;
  branch?: string | null;
  base?: string | null;
  /** An event recorded in the claim's transaction (e.g. the override of a check the start set aside). */
  event?: { kind: TaskEventKind; body: Record<string, unknown> };
};

export type ReleaseRequest = {
  /** The session giving it up; another session's live hold needs `force`. */
  session?: string;
  force?: boolean;
  to: 'ready' | 'parked' | 'blocked' | 'escalated';
  actor: string;
  reason: string;
};

export type StoreStats = {
  tasks: number;
  transitions: number;
  events: number;
  sessions: number;
  holds: number;
  gateRuns: number;
  evidence: number;
  escalations: number;
  releaseHolds: number;
  watchCloseouts: number;
  checkpoints: number;
};

export type StoreOptions = {
  /** The store's clock; tests move it to make holds stale without waiting. */
  now?: () => Date;
  /** How long a session may go without a heartbeat before its holds are stale, in ms. */
  staleAfterMs?: number;
  /** How long a call waits for a SQLite store another process holds locked, in ms. Default 30 s. */
  waitMs?: number;
};
