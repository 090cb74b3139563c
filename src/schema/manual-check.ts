import { z } from 'zod';
import { filledList, filledText, idSchema, keySchema, policySchema, stageSchema } from './common.ts';
import { durationMs, durationSchema, laneIdSchema } from './governance-values.ts';

/**
 * The longest a recorded verdict may count: a sanity bound, not a policy. Past it an expiry is no
 * date the store can write (a valid_for of 999999999d failed as an internal error, after the check).
 */
export const MAX_VALID_FOR_DAYS = 36_500;

/**
 * A manual check of a pack: a workflow that still needs a person's judgement. A person of `lane`
 * does the steps (`packgate manual run`, or elsewhere and `packgate manual record`), and the
 * verdict they record counts for `valid_for`; the gate's `manual` layer reads it.
 */
export const manualCheckSchema = z.strictObject({
  id: idSchema,
  title: filledText('give the check a short title, e.g. "The shell greets the signed-in user"'),
  /** The pack's path (a name under `paths:`) the browser opens at. @example shell */
  start: keySchema,
  /** What the person does, in order. */
  steps: filledList(
    filledText('write what the person does at this step, or remove the item'),
    'list what the person does, in order, e.g. [Open the shell, Read the header]',
  ),
  /** What they must see for the check to pass. */
  expected: filledText('say what the person must see for the check to pass, e.g. "The header names the user"'),
  /** The governance lane whose people may record a verdict of it. @example C-ops */
  lane: laneIdSchema,
  /** How long a recorded verdict counts (at most 36500d). @example 7d */
  valid_for: durationSchema.refine(d => durationMs(d) <= MAX_VALID_FOR_DAYS * 86_400_000, {
    error:
      `is longer than a verdict may count (at most ${MAX_VALID_FOR_DAYS}d, a hundred years): ` +
      'give how long a verdict stays true of the product, e.g. 7d',
  }),
  /** Blocking or advisory per stage; a stage not named here takes the pack's policy. */
  policy: z.partialRecord(stageSchema, policySchema).optional(),
});
export type ManualCheck = z.output<typeof manualCheckSchema>;
