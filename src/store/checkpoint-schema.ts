import { z } from 'zod';

/** What a coordinator decides at a checkpoint (the requirements document's last field). */
export const checkpointDecisions = ['continue', 'park', 'split', 'escalate'] as const;
export const checkpointDecisionSchema = z.enum(checkpointDecisions);
export type CheckpointDecision = z.infer<typeof checkpointDecisionSchema>;

/** At most three next actions: a checkpoint names what comes next, not a plan. */
export const MAX_NEXT_ACTIONS = 3;

/** What the decision did: where the task moved, the tasks a split made, the lane an escalation went to. */
export const checkpointOutcomeSchema = z.object({
  movedTo: z.string().nullable(),
  splitInto: z.array(z.string()),
  escalatedTo: z.string().nullable(),
});
export type CheckpointOutcome = z.infer<typeof checkpointOutcomeSchema>;

/**
 * A coordinator checkpoint of a task: the seven fields of the requirements document (original goal,
 * current track, what changed, drift discovered, blocked on, next actions, decision), whether the
 * goal given differs from the packet's, and what the decision did.
 */
export const checkpointSchema = z.object({
  /** The store's id, unique across tasks (what events and escalations point at). */
  id: z.number(),
  /** The task's own count: its first checkpoint is 1, whatever other tasks had (what people read). */
  number: z.number(),
  taskId: z.string(),
  originalGoal: z.string(),
  /** The original goal given differs from the packet's goal: the task's goal moved. */
  goalChanged: z.boolean(),
  currentTrack: z.string(),
  whatChanged: z.string(),
  driftDiscovered: z.string(),
  blockedOn: z.string(),
  nextActions: z.array(z.string()).max(MAX_NEXT_ACTIONS),
  decision: checkpointDecisionSchema,
  outcome: checkpointOutcomeSchema,
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;
export type NewCheckpoint = Omit<Checkpoint, 'id' | 'number' | 'createdAt'>;
