import { z } from 'zod';
import { escalationSchema } from './escalation-schema.ts';
import { gateRunSchema, taskKindSchema, taskStateSchema, taskSummarySchema } from './queue-schema.ts';
import { releaseHoldViewSchema } from './release-hold-schema.ts';
import { packStatusSchema } from '../schema/verdict.ts';
import { policySchema } from '../schema/common.ts';

/**
 * What the dashboard reads of the store, as data: the same shapes serve its JSON API (and its OpenAPI
 * document, generated from them) and its pages.
 */

/** A page of tasks, filtered; `total` counts every match, not just this page. */
export const taskFilterSchema = z.object({
  lane: z.string().optional(),
  state: taskStateSchema.optional(),
  kind: taskKindSchema.optional(),
  /** The packet's workflow regression pack. */
  pack: z.string().optional(),
  /** The packet's environment. */
  environment: z.string().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TaskPageFilter = z.input<typeof taskFilterSchema>;

export const taskRowSchema = taskSummarySchema.extend({
  pack: z.string().nullable(),
  environment: z.string().nullable(),
});
export type TaskRow = z.infer<typeof taskRowSchema>;

export const taskPageSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  tasks: z.array(taskRowSchema),
});
export type TaskPage = z.infer<typeof taskPageSchema>;

/** A gate run without its packs and evidence: a row of a list. */
export const gateRunSummarySchema = gateRunSchema
  .pick({
    id: true,
    taskId: true,
    narrowed: true,
    environment: true,
    stage: true,
    verdict: true,
    gitCommit: true,
    startedAt: true,
    durationMs: true,
    recordedAt: true,
  })
  .extend({ blockingPacks: z.number().int() });
export type GateRunSummary = z.infer<typeof gateRunSummarySchema>;

export const gateRunPageSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  runs: z.array(gateRunSummarySchema),
});
export type GateRunPage = z.infer<typeof gateRunPageSchema>;

/** A pack's latest result in an environment's release-gate runs, and since when it has been so. */
export const releasePackSchema = z.object({
  pack: z.string(),
  status: packStatusSchema,
  policy: policySchema,
  blocks: z.boolean(),
  reason: z.string(),
  /** The run the result is from: the latest that ran the pack (a later one may not have selected it). */
  runId: z.number().int(),
  startedAt: z.string(),
  /** When the streak of this status began: the start of the first run of it after another status. */
  since: z.string(),
  /** The streak goes back further than the runs looked at: it has held at least since `since`. */
  sinceAtLeast: z.boolean(),
  /** The pack's owning lane, as the run's verdict names it. */
  owner: z.string().nullable(),
});
export type ReleasePack = z.infer<typeof releasePackSchema>;

/**
 * An environment as a release manager asks about it: its latest release-gate run (runs not on a
 * task), every pack's latest result there (from the latest run that ran it), and the release holds
 * on its packs.
 */
export const releaseEnvironmentSchema = z.object({
  environment: z.string(),
  stage: gateRunSchema.shape.stage,
  latestRun: gateRunSummarySchema,
  /**
   * BLOCKED when a pack blocks or a hold applies (not on dev); PASS_WITH_WARNINGS when the latest run
   * passed but a pack warns or a hold applies on dev; else the latest run's verdict.
   */
  verdict: gateRunSchema.shape.verdict,
  packs: z.array(releasePackSchema),
  holds: z.array(releaseHoldViewSchema),
  /** Why it is blocked, one line each: a blocking pack, or a hold. */
  blockers: z.array(z.string()),
  /** What warns without blocking, one line each: on dev, a hold (the gate warns of it there). */
  warnings: z.array(z.string()),
});
export type ReleaseEnvironment = z.infer<typeof releaseEnvironmentSchema>;

export const releaseViewSchema = z.object({ environments: z.array(releaseEnvironmentSchema) });
export type ReleaseView = z.infer<typeof releaseViewSchema>;

/** How a pack's result counts on a trend: passed, a warning (did not block), or blocked. */
export const trendOutcomeSchema = z.enum(['pass', 'warn', 'block']);

export const trendPointSchema = z.object({
  runId: z.number().int(),
  status: packStatusSchema,
  outcome: trendOutcomeSchema,
  startedAt: z.string(),
  /** The whole run's duration: the store keeps no time per pack. */
  durationMs: z.number(),
});
export type TrendPoint = z.infer<typeof trendPointSchema>;

export const trendSeriesSchema = z.object({
  environment: z.string(),
  pack: z.string(),
  /** Oldest first. */
  points: z.array(trendPointSchema),
  counts: z.object({ pass: z.number(), warn: z.number(), block: z.number(), flaky: z.number() }),
});
export type TrendSeries = z.infer<typeof trendSeriesSchema>;

export const trendFilterSchema = z.object({
  environment: z.string().optional(),
  pack: z.string().optional(),
  /** The latest this many release-gate runs. */
  runs: z.number().int().min(1).max(500).default(60),
});
export type TrendFilter = z.input<typeof trendFilterSchema>;

export const trendsSchema = z.object({ series: z.array(trendSeriesSchema) });
export type Trends = z.infer<typeof trendsSchema>;

export const healthSchema = z.object({
  staleHolds: z.array(taskSummarySchema),
  escalations: z.array(escalationSchema.extend({ title: z.string(), state: taskStateSchema })),
  activeReleaseHolds: z.array(releaseHoldViewSchema),
});
export type Health = z.infer<typeof healthSchema>;
