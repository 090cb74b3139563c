import { z } from 'zod';
import { packStatusSchema } from '../schema/verdict.ts';

export const resultSchema = z.enum(['pass', 'fail', 'skipped']);
export type Result = z.infer<typeof resultSchema>;

/**
 * One acceptance item of a task's packet and what proves it: the proofs recorded with `packgate task
 * prove`, and for a pack's item the latest gate run on the task it passed in. `needs` says how to
 * prove it, for an item with no proof. The handoff lists these; the dashboard's task page shows them.
 */
export const provenItemSchema = z.object({
  item: z.number().int().min(1),
  text: z.string(),
  proof: z.array(z.string()),
  needs: z.string(),
});
export type ProvenItem = z.infer<typeof provenItemSchema>;

/**
 * The implementation loop's output for one task (`packgate handoff`): what changed, what was run
 * and how it came out, what stays risky, and the evidence, each by digest. Stored with the task
 * when it moves to review; printed as JSON with --json.
 */
export const handoffSchema = z.object({
  schemaVersion: z.literal(1),
  task: z.object({ id: z.string(), goal: z.string(), ownerLane: z.string(), trackId: z.string(), pack: z.string() }),
  /** The commit the changes are measured from, and the worktree's commit now. */
  base: z.string(),
  head: z.string().nullable(),
  /** Exact files changed since base (from git), each judged by the drift rules. */
  filesChanged: z.array(
    z.object({
      path: z.string(),
      status: z.string(),
      rule: z.number().int().min(1).max(4),
      why: z.string(),
      /** In the worktree only, not on the branch review accepts. */
      uncommitted: z.literal(true).optional(),
    }),
  ),
  /** Commands run (gate runs recorded on the task, drift checks) and packet commands with no record. */
  commands: z.array(
    z.object({
      command: z.string(),
      result: resultSchema,
      detail: z.string(),
      run: z.number().nullable(),
      at: z.string().nullable(),
    }),
  ),
  /** Every pack of every gate run on the task. */
  packs: z.array(
    z.object({ run: z.number(), pack: z.string(), result: resultSchema, status: packStatusSchema, reason: z.string() }),
  ),
  acceptance: z.array(z.object({ item: z.number().int().min(1), text: z.string(), proof: z.string().nullable() })),
  residualRisks: z.array(z.string()),
  evidence: z.array(
    z.object({
      run: z.number().nullable(),
      path: z.string(),
      digest: z.string(),
      size: z.number(),
      status: z.enum(['ok', 'missing', 'tampered']),
      /**
       * Where the file is: relative to the root of the project holding the store (the main checkout,
       * for a handoff made in a task's worktree too), or `sha256:<digest>` in a database. The printed
       * handoff shows it from the folder the command ran in.
       */
      location: z.string(),
    }),
  ),
  /** Why the handoff is refused; empty when it is complete. */
  missing: z.array(z.string()),
});
export type Handoff = z.infer<typeof handoffSchema>;
