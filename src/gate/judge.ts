import type { GateRules } from '../catalogue/gate-rules.ts';
import type { Policy } from '../schema/common.ts';
import type { PackStatus, RunProblem, RunVerdict, TestCounts } from '../schema/verdict.ts';
import type { ObservedTest } from './observe.ts';
import { plural } from '../text/plural.ts';

/**
 * What the judgement reads of a test: how it came out. Where it ran and its evidence are the
 * verdict's and the evidence writer's (the rest of ObservedTest), so the judge stays a function
 * of outcomes, tested on plain literals.
 */
export type JudgedTest = Pick<
  ObservedTest,
  | 'title'
  | 'outcome'
  | 'lastStatus'
  | 'error'
  | 'skipReason'
  | 'expectedStatus'
  | 'assertions'
  | 'seedMissing'
  | 'notRunBecause'
> &
  Partial<Pick<ObservedTest, 'notApplicable'>>;

/** A pack to judge. Generic in its tests, so a caller that keeps ObservedTests reads them back as such. */
export type PackInput<T extends JudgedTest = JudgedTest> = {
  id: string;
  policy: Policy;
  dependsOn: readonly string[];
  /** The pack's tests that this run selected; empty when none was. */
  tests: readonly T[];
  /**
   * The sign-in setup's tests, for a pack that proves the sign-in (it signs in, and no pack it
   * depends on in this run does): their failure is this pack's.
   */
  signIn?: readonly T[];
  /**
   * Tests the pack has (its test manifest, for the layers the environment runs) that this run did
   * not run at all: filtered out, sharded out, or in a project the run did not select.
   */
  missing?: readonly string[];
};

/** The environment's rules the judgement reads (retries are Playwright's business). */
export type JudgementRules = Pick<GateRules, 'requireAllPacks' | 'flaky'>;

export type PackJudgement = {
  id: string;
  status: PackStatus;
  reason: string;
  upstream?: string;
  blocks: boolean;
  tests: TestCounts;
  /** NOT_RUN because the environment lacks seed data the pack needs: its own reason, not its upstream's. */
  seedMissing?: boolean;
};

export type RunJudgement = {
  verdict: RunVerdict;
  packs: PackJudgement[];
  problems: RunProblem[];
};

/** Statuses that mean "this pack did not prove its journey", which is what downstream packs care about. */
const NOT_PROVEN: ReadonlySet<PackStatus> = new Set(['FAIL', 'NOT_RUN', 'SKIPPED', 'BLOCKED_BY_UPSTREAM']);

/**
 * The gate's rules, in one place:
 * 1. Each pack's status comes from its tests; a pack with no selected test is NOT_RUN where the
 *    environment requires every pack, else NOT_SELECTED. Skipped, interrupted and timed-out never pass,
 *    nor does a test declared to fail or one that asserted nothing. Where every pack is required, a
 *    pack some of whose tests did not run (filtered, sharded out) is NOT_RUN, naming them. A pack
 *    that proves the sign-in fails when the sign-in setup failed (its tests then never ran), and is
 *    flaky when the setup passed only on retry.
 * 2. A pack that did not pass while a pack it depends on did not prove its journey is
 *    BLOCKED_BY_UPSTREAM, naming that pack, instead of being reported as its own failure.
 * 3. A pack blocks when its policy is blocking and it did not pass (flaky blocks only where the
 *    environment says so). Any blocking pack, any run error, or a run where no test ran: BLOCKED.
 *    Anything else short of a clean pass: PASS_WITH_WARNINGS.
 */
export function judgeRun(
  packs: readonly PackInput[],
  rules: JudgementRules,
  runProblems: readonly RunProblem[] = [],
): RunJudgement {
  const runError = runProblems.find(p => p.severity === 'error')?.message;
  const own = new Map(packs.map(pack => [pack.id, judgeOwnTests(pack, rules, runError)]));

  const judged = packs.map(pack => {
    const judgement = own.get(pack.id)!;
    if (judgement.status === 'PASS' || judgement.status === 'NOT_SELECTED' || judgement.seedMissing) return judgement;
    const upstream = failingUpstream(pack.id, packs, own);
    if (!upstream) return judgement;
    const up = own.get(upstream)!;
    return {
      ...judgement,
      status: 'BLOCKED_BY_UPSTREAM' as const,
      upstream,
      reason: `blocked by upstream pack "${upstream}" (${up.status}: ${up.reason}); this pack's own result: ${judgement.reason}`,
    };
  });

  const policies = new Map(packs.map(p => [p.id, p.policy]));
  const withBlocks = judged.map(j => ({ ...j, blocks: blocks(j.status, policies.get(j.id)!, rules) }));

  const problems = [...runProblems];
  const ran = withBlocks.some(j => j.tests.total - j.tests.notRun > 0);
  if (!ran) problems.push({ severity: 'error', message: 'no pack test ran: nothing was proven, so nothing passes' });

  let verdict: RunVerdict = 'PASS';
  if (problems.some(p => p.severity === 'error') || withBlocks.some(j => j.blocks)) verdict = 'BLOCKED';
  else if (problems.length || withBlocks.some(j => j.status !== 'PASS' && j.status !== 'NOT_SELECTED'))
    verdict = 'PASS_WITH_WARNINGS';
  return { verdict, packs: withBlocks, problems };
}

function judgeOwnTests(pack: PackInput, rules: JudgementRules, runError: string | undefined): PackJudgement {
  const tests = countTests(pack.tests);
  const base = { id: pack.id, tests, blocks: false };
  const missing = pack.missing ?? [];
  if (!pack.tests.length) {
    return rules.requireAllPacks
      ? {
          ...base,
          status: 'NOT_RUN',
          reason: runError
            ? `not run: ${runError}`
            : 'no test of this pack ran: it was filtered out (--grep, --project) or no selected project runs its layers, ' +
              'and this environment requires every pack',
        }
      : {
          ...base,
          status: 'NOT_SELECTED',
          reason: 'not selected by this run (a subset was chosen with --grep, --project or a file filter)',
        };
  }
  // The pack's own failing test first: it is the more direct proof (often at a lower layer).
  const failed = pack.tests.find(t => t.outcome === 'unexpected');
  if (failed) return { ...base, status: 'FAIL', reason: failureReason(failed) };
  const signInFailed = pack.signIn?.find(t => t.outcome === 'unexpected');
  if (signInFailed)
    return { ...base, status: 'FAIL', reason: `the sign-in setup failed: ${failureReason(signInFailed)}` };
  const unproven = pack.tests.find(t => notAsWritten(t));
  if (unproven) return { ...base, status: 'FAIL', reason: `${unproven.title} ${notAsWritten(unproven)}` };
  // What the deployment lacks is said once, for every pack that needs it, instead of as each one's failure.
  const unseeded = [...new Set(pack.tests.flatMap(t => (t.seedMissing ? [t.seedMissing] : [])))];
  if (unseeded.length)
    return { ...base, status: 'NOT_RUN', seedMissing: true, reason: `not run: ${unseeded.join('; ')}` };
  // On a release stage the pack is proven by all of its tests, not by those a filter or shard left.
  if (missing.length && rules.requireAllPacks)
    return {
      ...base,
      status: 'NOT_RUN',
      reason:
        `${missing.length} of ${missing.length + tests.total} tests did not run ` +
        `(filtered out, sharded out, or their project not selected): ${listed(quoted(missing), 5)}`,
    };
  if (tests.notRun) {
    const because = pack.tests.find(t => t.notRunBecause)?.notRunBecause ?? runError;
    return {
      ...base,
      status: 'NOT_RUN',
      reason: `${tests.notRun} of ${tests.total} tests never finished${because ? `: ${because}` : ' (run interrupted)'}`,
    };
  }
  const skipped = pack.tests.find(t => t.outcome === 'skipped');
  if (skipped)
    return {
      ...base,
      status: 'SKIPPED',
      reason: `${tests.skipped} of ${tests.total} tests skipped: ${skipped.skipReason ?? 'no reason given'} (${skipped.title})`,
    };
  const flaky = pack.tests.find(t => t.outcome === 'flaky') ?? pack.signIn?.find(t => t.outcome === 'flaky');
  if (flaky)
    return {
      ...base,
      status: 'FLAKY',
      reason:
        `passed only on retry (flaky ${rules.flaky === 'block' ? 'blocks' : 'warns'} here): ${flaky.title}` +
        (flaky.error ? `; first failure: ${flaky.error}` : ''),
    };
  if (missing.length)
    return {
      ...base,
      status: 'PASS',
      reason: `the ${plural(tests.total, 'selected test')} passed; ${missing.length} not selected: ${listed(quoted(missing), 5)}`,
    };
  return {
    ...base,
    status: 'PASS',
    reason: tests.total === 1 ? 'its 1 test passed' : `all ${tests.total} tests passed`,
  };
}

/**
 * Why a test that Playwright counts as passed proves nothing, if it does not: it was declared to
 * fail (test.fail() passes when the test fails), or its body asserted nothing.
 */
export function notAsWritten(test: JudgedTest): string | undefined {
  if (test.outcome === 'skipped') return undefined;
  if (test.expectedStatus === 'failed')
    return 'is declared test.fail(): an expected failure proves no journey, so the gate counts it as failed';
  // A test that found its check does not apply here says so (listed in the verdict), and has nothing to assert.
  if (test.lastStatus === 'passed' && test.assertions === 0 && !test.notApplicable?.length)
    return 'asserted nothing: a test passes the gate only when it checked something (call expect)';
  return undefined;
}

const quoted = (titles: readonly string[]) => titles.map(t => `"${t}"`);

/** Items joined for a reason line, the first `max` of them and how many more. */
export function listed(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

function countTests(tests: readonly JudgedTest[]): TestCounts {
  const notRun = (t: JudgedTest) => t.lastStatus === undefined || t.lastStatus === 'interrupted';
  return {
    total: tests.length,
    passed: tests.filter(t => t.outcome === 'expected' && !notAsWritten(t)).length,
    failed: tests.filter(t => t.outcome === 'unexpected' || (t.outcome !== 'skipped' && notAsWritten(t))).length,
    flaky: tests.filter(t => t.outcome === 'flaky' && !notAsWritten(t)).length,
    skipped: tests.filter(t => t.outcome === 'skipped' && !notRun(t)).length,
    notRun: tests.filter(t => t.outcome === 'skipped' && notRun(t)).length,
  };
}

function failureReason(test: JudgedTest): string {
  const what = test.lastStatus === 'timedOut' ? 'timed out' : 'failed';
  return `${test.title} ${what}: ${test.error ?? 'no error message'}`;
}

/** The nearest pack upstream of `id` (breadth-first along depends_on) that did not prove its journey. */
function failingUpstream(id: string, packs: readonly PackInput[], own: Map<string, PackJudgement>): string | undefined {
  const byId = new Map(packs.map(p => [p.id, p]));
  const seen = new Set([id]);
  let frontier = [...(byId.get(id)?.dependsOn ?? [])];
  while (frontier.length) {
    const next: string[] = [];
    for (const up of frontier) {
      if (seen.has(up)) continue;
      seen.add(up);
      const status = own.get(up)?.status;
      if (status && NOT_PROVEN.has(status)) return up;
      next.push(...(byId.get(up)?.dependsOn ?? []));
    }
    frontier = next;
  }
  return undefined;
}

function blocks(status: PackStatus, policy: Policy, rules: JudgementRules): boolean {
  if (policy !== 'blocking') return false;
  if (status === 'PASS' || status === 'NOT_SELECTED') return false;
  if (status === 'FLAKY') return rules.flaky === 'block';
  return true;
}
