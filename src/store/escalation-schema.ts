import { z } from 'zod';

/** One path that crossed a boundary of the task's packet, and whose decision it needs. */
export const escalationCrossingSchema = z.object({
  path: z.string(),
  /** must-not-touch: the packet forbids the path; needed: outside owned_files, and the worker says the task needs it. */
  kind: z.enum(['must-not-touch', 'needed']),
  /** The boundary crossed, as the packet draws it: `must_not_touch <glob>`, or `owned_files (<globs>)`. */
  boundary: z.string(),
  /** The lane governance.yaml gives the path to, whose decision it needs; null when no lane owns it. */
  lane: z.string().nullable(),
});
export type EscalationCrossing = z.infer<typeof escalationCrossingSchema>;

/**
 * An escalation of a task (drift rule 2): what crossed which boundary, every path of the diff it was
 * found in, and the packet's stop conditions, so whoever decides needs nothing else. Stored in the
 * queue store beside the `escalation` event that points at it.
 */
export const escalationSchema = z.object({
  id: z.number(),
  taskId: z.string(),
  reason: z.string(),
  crossed: z.array(escalationCrossingSchema).min(1),
  /** Every path the diff changed (base to work tree), inside the packet or not. */
  paths: z.array(z.string()),
  /** The commit the diff is measured from, and the worktree's commit then. */
  base: z.string().nullable(),
  head: z.string().nullable(),
  stopConditions: z.array(z.string()),
  /** Whether the task moved to escalated with it (a task that cannot move there stays where it is). */
  moved: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Escalation = z.infer<typeof escalationSchema>;
export type NewEscalation = Omit<Escalation, 'id' | 'moved' | 'createdAt'>;
