import { z } from 'zod';
import { taskIdSchema } from '../packet/packet-schema.ts';
import { idSchema, layerSchema, schemaVersionSchema, specFileSchema } from '../schema/common.ts';

const text = z.string().trim().min(1, { error: 'is empty' });

/** What a record without a residual risk is told, empty or missing alike. */
const SAY_RESIDUAL_RISK = 'say what is still at risk after the fix ("none known" is an answer)';

/**
 * Where a bug's regression lives: a test of a pack, by its spec and title, run at a layer. Checked
 * against the catalogue and the pack's tests.yaml at the fix's commit, never trusted as written.
 * @example { pack: auth-session, spec: browser.spec.ts, title: "signs in through the IdP and lands in the shell" }
 */
export const regressionLocationSchema = z.strictObject({
  pack: idSchema,
  /** The spec file in the pack's folder, as pack.yaml `layers:` names it. */
  spec: specFileSchema,
  /** The test's title as the pack's tests.yaml lists it. */
  title: text,
});
export type RegressionLocation = z.infer<typeof regressionLocationSchema>;

/**
 * A bug fix's definition of done (the requirements document's "Bug-Fix Definition of Done"), written
 * by whoever fixed it as YAML and recorded on the task with `packgate review record`. A bug-fix task
 * is not done without one whose regression is proven red before the fix and green after, or whose
 * skipped coverage has its own release-blocking task.
 */
export const fixRecordSchema = z
  .strictObject({
    schema_version: schemaVersionSchema.optional(),
    task_id: taskIdSchema,
    /** What was wrong, in the code or the deployment. */
    root_cause: text,
    /** The lowest test layer that can see the defect: it owns it. */
    owning_layer: layerSchema,
    /** What a user saw, or what operations lost. */
    impact: text,
    /** The command that reproduced the bug or directly validates the fix. */
    proof_command: text,
    /** The test that now covers the bug. Leave it out only with `skipped_coverage`. */
    regression: regressionLocationSchema.optional(),
    /** Why the owning layer is the right one for the regression. */
    layer_rationale: text,
    /** What is still at risk after the fix. */
    residual_risk: z
      .string()
      .trim()
      .min(1, { error: `is empty: ${SAY_RESIDUAL_RISK}` })
      .optional(),
    /** Why there is no regression at the owning layer: a release-blocking coverage task is opened for it. */
    skipped_coverage: text.optional(),
    /** The commit of the fix. Default: the head of the task's branch when recorded. */
    fix_commit: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/, { error: 'must be a commit id (7 to 40 hex digits)' })
      .optional(),
  })
  .superRefine((record, ctx) => {
    if (!record.regression && !record.skipped_coverage)
      ctx.addIssue({
        code: 'custom',
        path: ['regression'],
        message: 'is missing: name the test that covers the bug, or say why there is none in "skipped_coverage"',
      });
    if (record.regression && record.skipped_coverage)
      ctx.addIssue({
        code: 'custom',
        path: ['skipped_coverage'],
        message: 'goes only with no "regression": a record either names its regression or says why it has none',
      });
    // Only when it is absent: an empty one is already said to be empty, by the field itself.
    if (record.residual_risk === undefined && !record.skipped_coverage)
      ctx.addIssue({ code: 'custom', path: ['residual_risk'], message: `is missing: ${SAY_RESIDUAL_RISK}` });
  });
export type FixRecord = z.infer<typeof fixRecordSchema>;
