import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { QueueStore } from '../store/queue-store.ts';
import { layerSchema } from '../schema/common.ts';
import { fixRecordSchema, regressionLocationSchema } from './fix-record-schema.ts';

/**
 * The body of a `fix-record` event: the bug fix's definition of done as checked, and the commits it
 * was checked at (the fix, and the base the task's branch started from).
 */
export const fixRecordEventSchema = z.object({
  record: fixRecordSchema,
  /** The commit the regression location was checked at: the fix. */
  fixCommit: z.string(),
  /** The commit the fix is measured from: the task branch's base. */
  baseCommit: z.string(),
  /** The coverage task opened for a skipped coverage, when the record skips it. */
  coverageTask: z.string().nullable(),
});
export type FixRecordEvent = z.infer<typeof fixRecordEventSchema>;

/** One run of a regression proof: which commit, what it found, and its output by digest. */
export const proofRunSchema = z.object({
  commit: z.string(),
  /** PASS, BLOCKED, ... as the verdict of that run says; for a test-level run, passed/failed. */
  verdict: z.string(),
  /** Did the named regression pass in this run. */
  regressionPassed: z.boolean(),
  /** Other tests of the pack and its dependents that failed in this run, by `<pack> › <spec> › <title>`. */
  othersFailed: z.array(z.string()),
  exitCode: z.number().nullable(),
  /** SHA-256 of the verdict.json of the run, and of its output log, in the store's blobs. */
  verdictDigest: z.string().nullable(),
  outputDigest: z.string(),
  /** A gate run recorded on the task (a proof against a deployment), when the run is one. */
  gateRun: z.number().nullable(),
});
export type ProofRun = z.infer<typeof proofRunSchema>;

/**
 * The body of a `regression-proof` event: the regression red before the fix and green after it,
 * the rest of its pack and dependents green after as before. Only a proof that holds is recorded.
 */
export const regressionProofEventSchema = z.object({
  regression: regressionLocationSchema,
  layer: layerSchema,
  /** `repository`: base and fix run in scratch worktrees; `deployment`: gate runs recorded on the task. */
  mode: z.enum(['repository', 'deployment']),
  /** The digest of the fix-record event's record it proves. */
  fixRecordEvent: z.number(),
  before: proofRunSchema,
  after: proofRunSchema,
});
export type RegressionProofEvent = z.infer<typeof regressionProofEventSchema>;

/** The task's latest bug-fix record, checked, with its event id; undefined when none is recorded. */
export async function recordedFix(
  store: QueueStore,
  taskId: string,
): Promise<(FixRecordEvent & { event: number; at: string; actor: string }) | undefined> {
  const event = (await store.events(taskId, 'fix-record')).at(-1);
  if (!event) return undefined;
  return { ...fixRecordEventSchema.parse(event.body), event: event.id, at: event.at, actor: event.actor };
}

/**
 * The task's latest regression proof of its latest fix record; undefined when none proves it.
 * A proof in the repository of an earlier record stands for it too when it showed what the latest
 * names (the same regression and layer, red at its base, green at its fix): a record corrected in
 * words only is not proven again for minutes. Pass the fix record when it is read already.
 */
export async function recordedProof(
  store: QueueStore,
  taskId: string,
  fix?: FixRecordEvent & { event: number },
): Promise<(RegressionProofEvent & { event: number; at: string; actor: string }) | undefined> {
  fix ??= await recordedFix(store, taskId);
  if (!fix) return undefined;
  const latest = fix;
  const proves = (proof: RegressionProofEvent) =>
    proof.fixRecordEvent === latest.event ||
    (proof.mode === 'repository' &&
      latest.record.regression !== undefined &&
      isDeepStrictEqual(proof.regression, latest.record.regression) &&
      proof.layer === latest.record.owning_layer &&
      proof.before.commit === latest.baseCommit &&
      proof.after.commit === latest.fixCommit);
  const event = (await store.events(taskId, 'regression-proof'))
    .map(e => ({ e, body: regressionProofEventSchema.safeParse(e.body) }))
    .filter(({ body }) => body.success && proves(body.data))
    .at(-1);
  if (!event) return undefined;
  return { ...event.body.data!, event: event.e.id, at: event.e.at, actor: event.e.actor };
}
