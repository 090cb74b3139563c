import { z } from 'zod';
import { taskKindSchema, taskStateSchema } from './queue-schema.ts';

/** How a hold was cleared: its regression coverage accepted in review, or its risk accepted until a date. */
export const holdClearanceSchema = z.enum(['coverage', 'risk']);
export type HoldClearance = z.infer<typeof holdClearanceSchema>;

/**
 * A release hold: a task that keeps its pack's release stages BLOCKED (an open bug fix, a missing
 * regression) until its coverage is accepted, or a coordinator accepts the risk until a date. A risk
 * accepted until a date holds again from that date.
 */
export const releaseHoldSchema = z.object({
  id: z.number(),
  taskId: z.string(),
  /** The pack whose environments' release gates this holds. */
  pack: z.string(),
  /** Why it holds, as a release gate prints it. */
  reason: z.string(),
  since: z.string(),
  createdBy: z.string(),
  clearedAs: holdClearanceSchema.nullable(),
  clearedAt: z.string().nullable(),
  clearedBy: z.string().nullable(),
  clearReason: z.string().nullable(),
  /** For a risk accepted: the moment it stops being accepted (the start of the expiry date, UTC). */
  riskExpiresAt: z.string().nullable(),
});
export type ReleaseHold = z.infer<typeof releaseHoldSchema>;

/** A hold with its task, as `review holds` and a release gate read it. */
export const releaseHoldViewSchema = releaseHoldSchema.extend({
  task: z.object({
    title: z.string(),
    state: taskStateSchema,
    kind: taskKindSchema,
    ownerLane: z.string().nullable(),
  }),
  /** Holds now: not cleared, or its accepted risk has expired. */
  active: z.boolean(),
});
export type ReleaseHoldView = z.infer<typeof releaseHoldViewSchema>;

export type NewReleaseHold = { taskId: string; pack: string; reason: string; createdBy: string };

export type HoldClearRequest = {
  as: HoldClearance;
  actor: string;
  reason: string;
  /** Required for `risk`: the risk is accepted until this moment. */
  expiresAt?: string;
};
