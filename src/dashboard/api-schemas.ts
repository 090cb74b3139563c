import { z } from 'zod';
import { queueHealthReportSchema } from '../coordinator/queue-health-report.ts';
import {
  gateRunPageSchema,
  gateRunSummarySchema,
  healthSchema,
  releaseViewSchema,
  taskPageSchema,
  trendsSchema,
} from '../store/dashboard-schema.ts';
import { provenItemSchema } from '../loop/handoff-schema.ts';
import { checkpointSchema } from '../store/checkpoint-schema.ts';
import { escalationSchema } from '../store/escalation-schema.ts';
import {
  gateRunSchema,
  sessionSchema,
  taskEventSchema,
  taskKindSchema,
  taskSchema,
  taskStateSchema,
  transitionSchema,
} from '../store/queue-schema.ts';
import { releaseHoldViewSchema } from '../store/release-hold-schema.ts';
import { watchCloseoutSchema } from '../store/watch-closeout-schema.ts';

/**
 * The JSON API's endpoints, each with the zod schema of its query and of its answer: the server
 * validates queries with them and the OpenAPI document is generated from them, so the two never drift.
 */
const name = z.string().min(1).max(200);
/** A count in a query: decimal digits only (`Number()` would also take `0x10`, `1e1` and ` 5`). */
const count = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, { error: 'expected a whole number in decimal digits' })
    .transform(Number)
    .pipe(z.number().min(min).max(max));
/** The OpenAPI document shows a query's input, a string: its range and default are said in words. */
const counted = (min: number, max: number, fallback: number) =>
  count(min, max)
    .default(fallback)
    .meta({ description: `a whole number from ${min} to ${max}; default ${fallback}` });
const offset = counted(0, 999_999_999, 0);
const pageSize = (max: number) => counted(1, max, 50);

export const taskQuerySchema = z.strictObject({
  lane: name.optional().meta({ description: 'the owning lane; "-" for tasks with no lane' }),
  state: taskStateSchema.optional(),
  kind: taskKindSchema.optional(),
  pack: name.optional(),
  environment: name.optional(),
  offset,
  limit: pageSize(200),
});

export const runQuerySchema = z.strictObject({
  environment: name.optional(),
  task: name.optional(),
  offset,
  limit: pageSize(200),
});

export const trendQuerySchema = z.strictObject({
  environment: name.optional(),
  pack: name.optional(),
  runs: counted(1, 500, 60),
});

export const noQuerySchema = z.strictObject({});

/** As `outcomeOf` (src/evidence/verify.ts) decides it, the one decision `packgate evidence verify` words too. */
export const verificationStatusSchema = z.enum([
  /** The files match, and a signature verifies with the dashboard's key; or no key is configured (files only). */
  'intact',
  'changed',
  /** The files match, and the attestation has no signature: no change, and its origin is not verified. */
  'unsigned',
  /** The files match, and the signatures name another key than the dashboard's: not verified, not changed. */
  'other-key',
  /** The files match, no signature verifies and not every one names its key: not verified, no change shown. */
  'unknown-key',
  /** The files match, and a signature by the dashboard's key no longer verifies: changed after signing. */
  'bad-signature',
  'no-attestation',
  'unreadable',
]);

/** How a run's evidence stands against its attestation, checked when its page is read. */
export const verificationSchema = z.object({
  status: verificationStatusSchema,
  /** One line for a person: what was checked and what was found. */
  summary: z.string(),
  /** The signature: valid, invalid, unsigned, or not checked (no public key configured). */
  signature: z.string().nullable(),
  keyid: z.string().nullable(),
  /** When no signature verifies with the dashboard's key: the keyids its signatures name. Else empty. */
  signedBy: z.array(z.string()),
  mismatches: z.array(z.object({ file: z.string(), problem: z.string() })),
});
export type Verification = z.infer<typeof verificationSchema>;

export const taskDetailSchema = z.object({
  task: taskSchema,
  transitions: z.array(transitionSchema),
  events: z.array(taskEventSchema),
  escalations: z.array(escalationSchema),
  gateRuns: z.array(gateRunSummarySchema),
  releaseHolds: z.array(releaseHoldViewSchema),
  /** The coordinator's checkpoints of the task, oldest first: the seven fields and what each decision did. */
  checkpoints: z.array(checkpointSchema),
  /**
   * How each of the task's watched runs ended, oldest first, as `packgate task show` lists them: the
   * `watch` events only say a run closed out, these say why (exit code, class, matched lines, log).
   */
  closeouts: z.array(watchCloseoutSchema),
  /**
   * The packet's acceptance items, each with what proves it, as the handoff lists them: the proofs
   * `packgate task prove` recorded, and for a pack's item the latest gate run on the task it passed
   * in. Empty when the task has no packet, or its packet's acceptance does not read as items.
   */
  acceptance: z.array(provenItemSchema),
});
export type TaskDetail = z.infer<typeof taskDetailSchema>;

export const runDetailSchema = z.object({
  run: gateRunSchema,
  verification: verificationSchema,
  /** The run's Allure report on this dashboard, when one was built and stored with it (`packgate report allure`). */
  reportUrl: z.string().nullable(),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

/** What the store holds now, as two opaque strings: a page compares them with those it was rendered with. */
export const changeStampSchema = z.object({
  /** Moves with any new data: a task, a transition, an event, a gate run, its evidence, an escalation. */
  data: z.string(),
  /** Moves when a session heartbeats or falls silent long enough to be stale. */
  heartbeats: z.string(),
});

export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), parameter: z.string().nullable() }),
});

export type Endpoint = {
  path: string;
  summary: string;
  query: z.ZodObject;
  /** Path parameters, e.g. `{id}`. */
  params?: Record<string, z.ZodType>;
  response: z.ZodType;
};

export const ENDPOINTS: readonly Endpoint[] = [
  { path: '/api/tasks', summary: 'tasks, filtered and paginated', query: taskQuerySchema, response: taskPageSchema },
  {
    path: '/api/tasks/{id}',
    summary: 'a task with its packet, transitions, events, escalations, gate runs and release holds',
    query: noQuerySchema,
    params: { id: z.string() },
    response: taskDetailSchema,
  },
  {
    path: '/api/sessions',
    summary: 'worker sessions and their holds',
    query: noQuerySchema,
    response: z.object({ sessions: z.array(sessionSchema) }),
  },
  { path: '/api/runs', summary: 'gate runs, newest first', query: runQuerySchema, response: gateRunPageSchema },
  {
    path: '/api/runs/{id}',
    summary: 'a gate run with its packs, evidence and attestation check',
    query: noQuerySchema,
    params: { id: z.coerce.number().int().min(1) },
    response: runDetailSchema,
  },
  {
    path: '/api/release',
    summary: "per environment, every pack's latest verdict and what blocks the release",
    query: noQuerySchema,
    response: releaseViewSchema,
  },
  {
    path: '/api/trends',
    summary: 'per pack and environment, verdicts over the latest release-gate runs',
    query: trendQuerySchema,
    response: trendsSchema,
  },
  {
    path: '/api/health',
    summary: 'stale holds, escalations, release holds in force',
    query: noQuerySchema,
    response: healthSchema,
  },
  {
    path: '/api/change-stamp',
    summary:
      "the store's change stamp: each page asks for it every poll while it is shown and reloads when it differs from the one it was rendered with",
    query: noQuerySchema,
    response: changeStampSchema,
  },
  {
    path: '/api/queue-health',
    summary: 'the evidence each task owes (packgate queue health), legacy debt apart from new',
    query: noQuerySchema,
    response: queueHealthReportSchema,
  },
];
