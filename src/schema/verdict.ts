import { z } from 'zod';
import { environmentKindSchema, layerSchema, policySchema, stageSchema } from './common.ts';
import { VERDICT_SCHEMA_VERSION } from './constants.ts';

/**
 * How one pack came out of a run.
 * NOT_SELECTED is only for dev-stage runs of a subset (`--grep`, a file filter): listed, never counted as passing.
 */
export const packStatusSchema = z.enum([
  'PASS',
  'FAIL',
  'FLAKY',
  'NOT_RUN',
  'SKIPPED',
  'BLOCKED_BY_UPSTREAM',
  'NOT_SELECTED',
]);
export type PackStatus = z.infer<typeof packStatusSchema>;

export const runVerdictSchema = z.enum(['PASS', 'PASS_WITH_WARNINGS', 'BLOCKED']);
export type RunVerdict = z.infer<typeof runVerdictSchema>;

export const testCountsSchema = z.strictObject({
  total: z.number().int().min(0),
  passed: z.number().int().min(0),
  failed: z.number().int().min(0),
  flaky: z.number().int().min(0),
  skipped: z.number().int().min(0),
  /** Selected but never executed (interrupted, or stopped by --max-failures). */
  notRun: z.number().int().min(0),
});
export type TestCounts = z.infer<typeof testCountsSchema>;

export const packEvidenceSchema = z.strictObject({
  /** Folder under the output dir holding this pack's evidence, relative to the output dir. */
  dir: z.string(),
  /** Files in that folder, relative to the output dir. */
  files: z.array(z.string()),
  /** Correlation / request ids the pack's traffic carried, in the order first seen. */
  correlationIds: z.array(z.string()),
  /** W3C trace ids of the pack's requests: where to look in the platform's traces and access logs. */
  traceIds: z.array(z.string()),
  /** Artifacts the pack requires on failure that this failure did not produce. */
  missingArtifacts: z.array(z.string()),
});

/** What a run showed of one refusal the pack declares (see src/schema/refusal.ts). */
export const refusalOutcomeSchema = z.strictObject({
  id: z.string(),
  /**
   * proven: a test claiming it ran here and passed, none failed. failed: one failed (or passed
   * asserting nothing, or is declared test.fail()). not-run: its tests are at layers this run covers
   * but did not start (filtered out, or upstream blocked).
   * not-applicable: no layer this environment runs has a test of it, or its tests skipped saying why.
   */
  status: z.enum(['proven', 'failed', 'not-run', 'not-applicable']),
  /** The tests of this run that claim it, as `<layer>: <title>`. */
  tests: z.array(z.string()),
  /** Why it is not proven here, for not-run and not-applicable, and for a failed one whose test passed proving nothing. */
  why: z.string().optional(),
});
export type RefusalOutcome = z.infer<typeof refusalOutcomeSchema>;

/** A manual check of the pack as the gate found it: a person's recorded verdict, never an automated test. */
export const manualOutcomeSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  policy: policySchema,
  /**
   * valid: a verdict recorded for this environment that has not expired (its `result` says pass or
   * fail). expired: the latest one has. missing: none was recorded. not-applicable: the environment
   * does not run the manual layer.
   */
  status: z.enum(['valid', 'expired', 'missing', 'not-applicable']),
  result: z.enum(['pass', 'fail']).nullable(),
  /** Who recorded it, when, and until when it counts; null when none was recorded. */
  by: z.string().nullable(),
  at: z.string().nullable(),
  expires: z.string().nullable(),
  note: z.string().nullable(),
});
export type ManualOutcome = z.infer<typeof manualOutcomeSchema>;

export const packVerdictSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  owner: z.string(),
  policy: policySchema,
  status: packStatusSchema,
  /** Whether this pack's status blocks the release. */
  blocks: z.boolean(),
  /** Why, in words: the first failure, the skip reason, the upstream pack. */
  reason: z.string(),
  /** For BLOCKED_BY_UPSTREAM: the failing pack this one depends on. */
  upstream: z.string().optional(),
  layers: z.array(layerSchema),
  tests: testCountsSchema,
  /**
   * For a pack whose unit layer ran: what the product suite's JUnit report held, every test case in
   * it, required or not (`tests` counts the gate's own tests of the report: one for the report, one
   * per required id). Absent when the report could not be read: the pack's reason says why.
   */
  unitReport: z
    .strictObject({ tests: z.number().int(), failed: z.number().int(), skipped: z.number().int() })
    .optional(),
  /**
   * Tests of the pack (its tests.yaml, for the layers the environment runs) this run did not run at
   * all, as `<layer>: <title>`: filtered out, sharded out, or in a project not selected. On a release
   * stage they make the pack NOT_RUN; on dev they are listed as not selected.
   */
  missingTests: z.array(z.string()).default([]),
  /**
   * Checks of the pack's journeys that do not apply in this environment, each saying why (e.g. the
   * app shows the signed-in user nowhere). Listed so a pass never hides them.
   */
  notApplicable: z.array(z.string()).default([]),
  /** Each refusal the pack declares, with what this run showed of it. */
  refusals: z.array(refusalOutcomeSchema).default([]),
  /** Each manual check the pack declares, with the recorded verdict the gate found (see manual-check.ts). */
  manual: z.array(manualOutcomeSchema).default([]),
  evidence: packEvidenceSchema,
});
export type PackVerdict = z.infer<typeof packVerdictSchema>;

export const runProblemSchema = z.strictObject({
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type RunProblem = z.infer<typeof runProblemSchema>;

/** The settings a run actually used: a release verdict is only as strong as them. */
export const runFlagsSchema = z.strictObject({
  /** Most retries any of its projects allowed (`--retries` included). */
  retries: z.number().int().min(0),
  repeatEach: z.number().int().min(1),
  workers: z.number().int().min(0),
  maxFailures: z.number().int().min(0),
  /** `current/total` when the run was one shard. */
  shard: z.string().nullable(),
  /** Reporters in the order they ran; the gate's own is `gate-reporter`. */
  reporters: z.array(z.string()),
  /** Command-line arguments that selected part of the tests (--grep, file filters, --last-failed, ...). */
  filters: z.array(z.string()),
  /** The `playwright test` arguments as given. */
  args: z.array(z.string()),
});
export type RunFlags = z.infer<typeof runFlagsSchema>;

/** A release hold that applies to the run: a queue task that keeps a pack the environment runs from release. */
export const appliedHoldSchema = z.strictObject({
  taskId: z.string(),
  title: z.string(),
  /** The task's kind (bugfix, coverage, ...) and state, as the queue has them. */
  kind: z.string(),
  state: z.string(),
  pack: z.string(),
  /** Why it holds: the hold's reason. */
  why: z.string(),
  /** When the hold was opened (or, for an accepted risk, held again from its expiry). */
  since: z.string(),
  ownerLane: z.string().nullable(),
});
export type AppliedHold = z.infer<typeof appliedHoldSchema>;

/**
 * What the run read of the queue store: the store (its printable location, a URL's password
 * masked) and when, and the release holds on the packs the environment runs; or, when it read
 * nothing, why (no store configured: `store` is null; the store unreadable: `store` names it).
 */
export const queueReadSchema = z.union([
  z.strictObject({
    store: z.string(),
    readAt: z.string(),
    holds: z.array(appliedHoldSchema),
    /** Said when the answer needs it, e.g. the store's file does not exist yet (an empty queue). */
    note: z.string().optional(),
  }),
  z.strictObject({ store: z.string().nullable(), reason: z.string() }),
]);
export type QueueRead = z.infer<typeof queueReadSchema>;

/** A person's recorded verdict of a manual check, as the gate reads it from the queue store. */
export const recordedManualSchema = z.strictObject({
  pack: z.string(),
  check: z.string(),
  result: z.enum(['pass', 'fail']),
  by: z.string(),
  at: z.string(),
  expires: z.string(),
  note: z.string().nullable(),
});
export type RecordedManual = z.infer<typeof recordedManualSchema>;

/** What the run read of the recorded manual verdicts (the latest per pack and check), or why it read none. */
export const manualReadSchema = z.union([
  z.strictObject({ store: z.string(), readAt: z.string(), verdicts: z.array(recordedManualSchema) }),
  z.strictObject({ store: z.string().nullable(), reason: z.string() }),
]);
export type ManualRead = z.infer<typeof manualReadSchema>;

export { VERDICT_SCHEMA_VERSION };

/** `gate-results/verdict.json`: what a release pipeline, an agent or a person reads after a run. */
export const verdictFileSchema = z.strictObject({
  schemaVersion: z.union([z.literal(1), z.literal(VERDICT_SCHEMA_VERSION)]),
  verdict: runVerdictSchema,
  /** The verdict in one line, as printed. */
  headline: z.string(),
  environment: z.string(),
  stage: stageSchema,
  kind: environmentKindSchema,
  /** Whether every test of every pack the environment runs was selected by this run. */
  complete: z.boolean(),
  /**
   * What made the run less than the environment's whole catalogue: its test filters as given, its
   * shard, the environment's projects it did not select (see src/gate/narrowing.ts). Empty for a
   * whole run; a narrowed run is recorded as such and no release gate counts it. Absent in verdicts
   * written before it was added (their `run.filters` and `run.shard` say the same, but not projects).
   */
  narrowed: z.array(z.string()).optional(),
  projects: z.array(z.string()),
  /** Faults injected into the embedded stack for this run (PACKGATE_STACK_FAULTS). */
  faults: z.array(z.string()),
  /** The run that wrote this verdict (its scratch folder's name), so no verdict is taken for another run's. */
  runId: z.string().optional(),
  /**
   * The `packgate watch run` this gate ran under (its WATCH_RUN), if any: a watcher judges a run by
   * this verdict only when it names that run, never by one a concurrent gate run wrote.
   */
  watchRun: z.string().optional(),
  startedAt: z.string(),
  durationMs: z.number().min(0),
  /** Absent when the run did not get as far as reading them. */
  run: runFlagsSchema.optional(),
  packs: z.array(packVerdictSchema),
  /** Packs the environment excludes (`packs.exclude`), with its reason: listed, never silently dropped. */
  excluded: z.array(z.strictObject({ pack: z.string(), reason: z.string() })),
  problems: z.array(runProblemSchema),
  /**
   * The queue store the run read for release holds, and what it found: on a release stage every
   * hold here blocked the run (each is also an error in `problems`); on dev they are warnings.
   */
  queue: queueReadSchema.optional(),
});
export type VerdictFile = z.infer<typeof verdictFileSchema>;
