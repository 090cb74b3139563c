import { z } from 'zod';
import { packStatusSchema, runVerdictSchema, runProblemSchema } from '../schema/verdict.ts';
import { policySchema, stageSchema } from '../schema/common.ts';

/** Where a task is in the implementation loop; `src/store/task-states.ts` says which moves are legal. */
export const taskStates = [
  'proposed',
  'ready',
  'in_progress',
  'in_review',
  'done',
  'parked',
  'blocked',
  'escalated',
] as const;
export const taskStateSchema = z.enum(taskStates);
export type TaskState = z.infer<typeof taskStateSchema>;

/**
 * What a task is for. A bug fix is not done until its definition of done is recorded and its
 * regression proven; a coverage task stands for a regression a bug fix could not add at its layer.
 */
export const taskKinds = ['feature', 'bugfix', 'coverage', 'watch', 'chore'] as const;
export const taskKindSchema = z.enum(taskKinds);
export type TaskKind = z.infer<typeof taskKindSchema>;

/** Kinds whose open task holds back the releases of its pack's environments until it is cleared. */
export const RELEASE_BLOCKING_KINDS: ReadonlySet<TaskKind> = new Set(['bugfix', 'coverage']);

/** A row of `task list`: the task and who holds it, without its packet. */
export const taskSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  state: taskStateSchema,
  kind: taskKindSchema,
  ownerLane: z.string().nullable(),
  trackId: z.string().nullable(),
  /** The task a follow-up was proposed from. */
  origin: z.string().nullable(),
  hasPacket: z.boolean(),
  /** Why the task counts as legacy debt (`queue import`, or marked), when it was marked; null otherwise. */
  legacyReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  holder: z
    .object({
      session: z.string(),
      since: z.string(),
      heartbeatAt: z.string(),
      /** No heartbeat within the store's stale-after window: the hold may be released by anyone. */
      stale: z.boolean(),
    })
    .nullable(),
});
export type TaskSummary = z.infer<typeof taskSummarySchema>;

/** A task with its packet (stored as the JSON of a checked context packet) and its graph edges. */
export const taskSchema = taskSummarySchema.extend({
  packet: z.unknown().nullable(),
  packetDigest: z.string().nullable(),
  createdBy: z.string(),
  dependsOn: z.array(z.string()),
  /** Worktree, branch and base commit of the current hold, when there is one. */
  workspace: z
    .object({ worktree: z.string().nullable(), branch: z.string().nullable(), base: z.string().nullable() })
    .nullable(),
});
export type Task = z.infer<typeof taskSchema>;

export const transitionSchema = z.object({
  id: z.number(),
  taskId: z.string(),
  from: taskStateSchema.nullable(),
  to: taskStateSchema,
  actor: z.string(),
  reason: z.string(),
  at: z.string(),
});
export type Transition = z.infer<typeof transitionSchema>;

/** What else happens to a task besides moving: each kind's body is JSON the loop writes and reads. */
export const taskEventKinds = [
  'claim',
  'release',
  'packet',
  'drift',
  'escalation',
  'follow-up',
  'proof',
  'handoff',
  'note',
  /** A check of the loop set aside on purpose, with who did it and why (a start before dependencies are done). */
  'override',
  /** A bug fix's definition of done, as recorded (its regression located and checked). */
  'fix-record',
  /** A regression run red on the fix's base and green on the fix: the proof that it catches the bug. */
  'regression-proof',
  /** A review: the six questions answered, and accepted or sent back. */
  'review',
  /** A release hold cleared: its coverage accepted, or its risk accepted until a date. */
  'release-hold',
  /**
   * A watched run: `started`; then `closed` (run, interrupted, or closed by hand), pointing at its closeout
   * record, or `failed` before its closeout (the command could not start, a store write failed), saying why.
   */
  'watch',
  /** A coordinator's checkpoint: the seven fields and the decision taken. */
  'checkpoint',
] as const;
export const taskEventKindSchema = z.enum(taskEventKinds);
export type TaskEventKind = z.infer<typeof taskEventKindSchema>;

export const taskEventSchema = z.object({
  id: z.number(),
  taskId: z.string(),
  kind: taskEventKindSchema,
  actor: z.string(),
  at: z.string(),
  body: z.record(z.string(), z.unknown()),
});
export type TaskEvent = z.infer<typeof taskEventSchema>;

/** A worker session: a process or agent that holds tasks and proves it is alive by heartbeats. */
export const sessionSchema = z.object({
  id: z.string(),
  actor: z.string(),
  host: z.string(),
  pid: z.number().nullable(),
  startedAt: z.string(),
  heartbeatAt: z.string(),
  stale: z.boolean(),
  holds: z.array(z.string()),
});
export type Session = z.infer<typeof sessionSchema>;

/** A file of a gate run's evidence, by content digest. */
export const evidenceRefSchema = z.object({
  /** Path inside the gate output folder, e.g. `evidence/auth-session/evidence.json`. */
  path: z.string(),
  /** The pack the file belongs to; null for the run's own files (verdict.json, summary.md). */
  pack: z.string().nullable(),
  /** SHA-256 of the content, hex. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
});
export type EvidenceRef = z.infer<typeof evidenceRefSchema>;

export const gateRunPackSchema = z.object({
  pack: z.string(),
  status: packStatusSchema,
  policy: policySchema,
  blocks: z.boolean(),
  reason: z.string(),
  /**
   * Tests of the pack the run did not run (filtered out, sharded out, in a project not selected), as
   * `<layer>: <title>` (the verdict's missingTests); absent when it ran them all, and for runs
   * recorded before the store kept them. A PASS with tests missing is a pass of part of the pack.
   */
  missingTests: z.array(z.string()).optional(),
});
export type GateRunPack = z.infer<typeof gateRunPackSchema>;

/**
 * A gate run as recorded: on a task, or (taskId null) as a run of its environment: a release-gate run
 * when it ran the environment's whole catalogue, else a narrowed one, which no release gate counts.
 */
export const gateRunSchema = z.object({
  id: z.number(),
  taskId: z.string().nullable(),
  environment: z.string(),
  stage: stageSchema,
  verdict: runVerdictSchema,
  gitCommit: z.string().nullable(),
  gitDirty: z.boolean(),
  /** The command line that ran the gate, as recorded, or one equivalent to it. */
  command: z.string(),
  projects: z.array(z.string()),
  /**
   * What made the run less than its environment's whole catalogue (the verdict's `narrowed`: filters,
   * shard, projects not selected); empty for a whole run, and for runs recorded before the store kept it.
   */
  narrowed: z.array(z.string()),
  startedAt: z.string(),
  durationMs: z.number(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  verdictDigest: z.string(),
  /**
   * The run's identity: SHA-256 of the subjects its attestation lists (every file the gate published
   * and its SHA-256), the same before and after attestation.intoto.json is written. A store holds one
   * record per digest; null for runs recorded before the store kept it.
   */
  subjectDigest: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  problems: z.array(runProblemSchema),
  packs: z.array(gateRunPackSchema),
  evidence: z.array(evidenceRefSchema),
});
export type GateRun = z.infer<typeof gateRunSchema>;
/** `narrowed` left out: a whole run. */
export type NewGateRun = Omit<GateRun, 'id' | 'recordedAt' | 'narrowed'> & { narrowed?: string[] };
