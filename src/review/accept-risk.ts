import { PackgateError } from '../diagnostics/errors.ts';
import type { ReviewConfig } from '../governance/governance-schema.ts';
import type { ReleaseHold } from '../store/release-hold-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';

export type RiskAcceptance = {
  taskId: string;
  reason: string;
  /** The day the acceptance ends, YYYY-MM-DD: the hold holds again from its start (00:00 UTC). */
  expires: string;
  actor: string;
};

/**
 * The moment an accepted risk expires: the start (UTC) of a real calendar date after today. Bad
 * input (INPUT_INVALID, exit 2) for anything else: a risk is accepted for a while, never for good.
 */
export function riskExpiry(expires: string, now: Date): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires.trim());
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== expires.trim())
    throw new PackgateError('INPUT_INVALID', `--expires "${expires}" is not a date`, {
      hint: 'give the day the accepted risk ends as YYYY-MM-DD, e.g. --expires 2030-01-31',
    });
  const today = now.toISOString().slice(0, 10);
  if (expires.trim() <= today)
    throw new PackgateError('INPUT_INVALID', `--expires ${expires} is not after today (${today}, UTC)`, {
      hint: 'an accepted risk ends on a day to come: give a later date',
    });
  return date.toISOString();
}

/**
 * A coordinator accepts the risk of a task's release holds until a date: they stop holding until
 * then, and hold again from it. Only an actor governance.yaml lists under `review.coordinators`
 * may (REVIEW_REFUSED, exit 1, naming who may); NO_RELEASE_HOLD when the task holds nothing.
 */
export async function acceptRisk(
  store: QueueStore,
  acceptance: RiskAcceptance,
  context: { review: ReviewConfig | undefined; governanceFile: string; now: Date },
): Promise<ReleaseHold[]> {
  const reason = acceptance.reason.trim();
  if (!reason)
    throw new PackgateError('INPUT_INVALID', '--reason is empty: say why the risk is accepted', {
      hint: 'e.g. --reason "the callback fix is verified by hand on demo; the regression lands next sprint"',
    });
  const expiresAt = riskExpiry(acceptance.expires, context.now);
  const coordinators = context.review?.coordinators ?? [];
  if (!coordinators.includes(acceptance.actor))
    throw new PackgateError('REVIEW_REFUSED', `${acceptance.actor} may not accept a risk: only a coordinator may`, {
      hint: coordinators.length
        ? `coordinators (${context.governanceFile} review.coordinators): ${coordinators.join(', ')}`
        : `${context.governanceFile} names no coordinators: add them under review.coordinators`,
    });
  await store.requireTask(acceptance.taskId);
  return store.clearReleaseHolds(acceptance.taskId, { as: 'risk', actor: acceptance.actor, reason, expiresAt });
}
