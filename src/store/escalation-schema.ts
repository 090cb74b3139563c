import { z } from 'zod';

/** One path that crossed a boundary of the task's packet, and whose decision it needs. */
export const escalationCrossingSchema = z.object({
  path: z.string(),
  /**
   * must-not-touch: the packet forbids the path; needed: outside owned_files, and the worker says the
   * task needs it; outside-project: outside the project's folder of its repository, where no packet reaches.
   */
  kind: z.enum(['must-not-touch', 'needed', 'outside-project']),
  /** The boundary crossed: `must_not_touch <glob>`, `owned_files (<globs>)`, or `the project's folder (<folder>/)`. */
  boundary: z.string(),
  /** The lane governance.yaml gives the path to, whose decision it needs; null when no lane owns it. */
  lane: z.string().nullable(),
});
export type EscalationCrossing = z.infer<typeof escalationCrossingSchema>;

/**
 * What raised an escalation: drift (rule 2, a path crossed a packet boundary), a watcher (an
 * escalation rule of its packet fired, or its task left the allowed fixes), or a coordinator's
 * checkpoint that decided to escalate.
 */
export const escalationSources = ['drift', 'watch', 'checkpoint'] as const;
export const escalationSourceSchema = z.enum(escalationSources);
export type EscalationSource = z.infer<typeof escalationSourceSchema>;

/**
 * An escalation of a task: why, what crossed which boundary (drift), every path of the diff it was
 * found in, and the packet's stop conditions, so whoever decides needs nothing else. Stored in the
 * queue store beside the `escalation` event that points at it.
 */
export const escalationSchema = z.object({
  id: z.number(),
  taskId: z.string(),
  source: escalationSourceSchema,
  reason: z.string(),
  /** The lane whose decision it needs, when the raiser names one (a watcher rule's `escalate_to`). */
  to: z.string().nullable(),
  /** Boundaries crossed: at least one for drift, usually none for the other sources. */
  crossed: z.array(escalationCrossingSchema),
  /** Every path the diff changed (base to work tree), inside the packet or not. */
  paths: z.array(z.string()),
  /** The commit the diff is measured from, and the worktree's commit then. */
  base: z.string().nullable(),
  head: z.string().nullable(),
  stopConditions: z.array(z.string()),
  /** Whether the task moved to escalated with it (a task that cannot move there stays where it is). */
  moved: z.boolean(),
  /** What the source knows besides (a watcher: the rule and the closeouts that fired it; a checkpoint: its id). */
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Escalation = z.infer<typeof escalationSchema>;
/** What a raiser gives; source drift, no lane, no crossings and no details unless said. */
export type NewEscalation = Omit<Escalation, 'id' | 'moved' | 'createdAt' | 'source' | 'to' | 'crossed' | 'details'> &
  Partial<Pick<Escalation, 'source' | 'to' | 'crossed' | 'details'>>;
