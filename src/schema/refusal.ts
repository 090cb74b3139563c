import { z } from 'zod';
import { filledList, filledText, keySchema } from './common.ts';
import { refusalMethods } from './refusal-action.ts';

export { actionOf, refusalCallers, refusalMethods, statusesOf } from './refusal-action.ts';

const httpStatusSchema = z.number().int().min(300).max(599);

/**
 * Something the pack's surface must refuse, as an attacker or a confused user would try it, proven
 * by a test of the pack that claims its id (`test('...', refuses('<id>'), ...)`). Lint fails a
 * refusal no test claims, and a test claiming one the pack does not declare.
 */
export const refusalSchema = z.strictObject({
  /** Unique in the pack; a test names it in `refuses('<id>')`. @example foreign-allocation */
  id: keySchema,
  /**
   * Who asks: a seed user the pack signs in as (its `identity` or one of its `personas`), or a
   * caller without a valid session: `no-session`, `expired-session`, `foreign-origin` (a signed-in
   * browser on another site). @example grace
   */
  as: keySchema,
  /**
   * What they try: a method (`WS` for a websocket upgrade) and the name of one of the pack's `paths`.
   * @example POST workloads
   */
  action: z.string().regex(new RegExp(`^(${refusalMethods.join('|')}) [a-z][a-z0-9]*(-[a-z0-9]+)*$`), {
    error: `must be a method (${refusalMethods.join(', ')}) and a path name of the pack, e.g. "POST workloads"`,
  }),
  /** What the product must answer: the status, or any of the statuses listed. @example [401, 403] */
  status: z.union([
    httpStatusSchema,
    filledList(httpStatusSchema, 'list the statuses the product may answer, e.g. [401, 403], or write one, e.g. 404'),
  ]),
  /**
   * The effect that must be absent afterwards, which the test checks, not only the status.
   * @example nothing created in the other user's project
   */
  unchanged: filledText(
    'say what must be unchanged afterwards (the test checks it), e.g. "nothing created in the other user\'s project"',
  ),
});
export type Refusal = z.infer<typeof refusalSchema>;
