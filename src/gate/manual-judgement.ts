import type { Policy, Stage } from '../schema/common.ts';
import type { ManualCheck } from '../schema/manual-check.ts';
import type { ManualOutcome, ManualRead, RunProblem } from '../schema/verdict.ts';

/** One pack's manual checks as judged: each check's outcome, and what it does to the pack. */
export type ManualJudgement = {
  outcomes: ManualOutcome[];
  /** Set when a blocking check has no valid pass: the pack's status and why (replacing a pass). */
  override?: { status: 'NOT_RUN' | 'FAIL'; reason: string };
  problems: RunProblem[];
};

/**
 * The manual layer of one pack, judged at `now`:
 * 1. Where the environment does not run the layer, every check is listed as not applicable.
 * 2. The latest recorded verdict for this environment counts until its expiry; after it the check is
 *    expired, and with none recorded (or the store unread) it is missing.
 * 3. A blocking check (its stage policy, else the pack's) without a valid pass makes the pack
 *    NOT_RUN ("has no valid verdict since ..."), or FAIL when its valid verdict is a fail, and is
 *    an error of the run; an advisory one is a warning. A pass is listed as manual, never as a test.
 */
export function judgeManual(input: {
  pack: string;
  checks: readonly ManualCheck[];
  packPolicy: Policy;
  stage: Stage;
  environment: string;
  runsManual: boolean;
  read: ManualRead | undefined;
  now: Date;
}): ManualJudgement {
  const { pack, checks, environment, read, now } = input;
  const policyOf = (check: ManualCheck) => check.policy?.[input.stage] ?? input.packPolicy;
  if (!input.runsManual)
    return {
      outcomes: checks.map(check => ({ ...empty(check, policyOf(check)), status: 'not-applicable' })),
      problems: [],
    };
  const recorded = read && 'verdicts' in read ? read.verdicts : [];
  const unread = read === undefined ? 'no store was read' : 'reason' in read ? read.reason : undefined;
  const outcomes: ManualOutcome[] = [];
  const problems: RunProblem[] = [];
  let override: ManualJudgement['override'];
  for (const check of checks) {
    const policy = policyOf(check);
    const verdict = recorded.find(v => v.pack === pack && v.check === check.id);
    const outcome: ManualOutcome = verdict
      ? {
          ...empty(check, policy),
          status: new Date(verdict.expires) > now ? 'valid' : 'expired',
          result: verdict.result,
          by: verdict.by,
          at: verdict.at,
          expires: verdict.expires,
          note: verdict.note,
        }
      : { ...empty(check, policy), status: 'missing' };
    outcomes.push(outcome);
    const why = shortfall(check.id, outcome, environment, unread);
    if (!why) continue;
    const blocking = policy === 'blocking';
    problems.push({
      severity: blocking ? 'error' : 'warning',
      message:
        `pack ${pack}: ${why}` +
        `; record one with \`packgate manual run --pack ${pack} --env ${environment} --check ${check.id} --lane ${check.lane}\`` +
        (blocking ? '' : ' (advisory here: a warning)'),
    });
    if (blocking && !override) override = { status: outcome.status === 'valid' ? 'FAIL' : 'NOT_RUN', reason: why };
  }
  return { outcomes, problems, ...(override ? { override } : {}) };
}

/** Why the check does not count as passed here, or undefined when it does. */
function shortfall(id: string, outcome: ManualOutcome, environment: string, unread: string | undefined) {
  if (outcome.status === 'valid')
    return outcome.result === 'pass'
      ? undefined
      : `manual check ${id} failed (recorded by ${outcome.by} at ${outcome.at}${outcome.note ? `: ${outcome.note}` : ''})`;
  if (outcome.status === 'expired')
    return `manual check ${id} has no valid verdict since ${outcome.expires} (the ${outcome.result} recorded by ${outcome.by} at ${outcome.at} expired)`;
  return `manual check ${id} has no valid verdict: none was recorded for ${environment}${unread ? ` (manual verdicts not read: ${unread})` : ''}`;
}

function empty(check: ManualCheck, policy: Policy): ManualOutcome {
  return {
    id: check.id,
    title: check.title,
    policy,
    status: 'missing',
    result: null,
    by: null,
    at: null,
    expires: null,
    note: null,
  };
}
