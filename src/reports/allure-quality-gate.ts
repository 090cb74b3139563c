import { z } from 'zod';

/**
 * What the report's quality gate reads of verdict.json: the verdict and each pack's outcome. Only
 * these fields, loosely, so a verdict with fields added since still shows; the rest is the gate's.
 */
export const reportedVerdictSchema = z.object({
  verdict: z.string(),
  headline: z.string(),
  environment: z.string(),
  packs: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      status: z.string(),
      blocks: z.boolean(),
      reason: z.string(),
    }),
  ),
});
export type ReportedVerdict = z.infer<typeof reportedVerdictSchema>;

/** An Allure 3 quality-gate result, as its `QualityGateValidationResult` (allure's plugin API) has it. */
export type QualityGateResult = {
  success: boolean;
  rule: string;
  expected: string;
  actual: string;
  message: string;
  /** Ids of the Allure test results the rule is about: the report lists them under it. */
  testResults: string[];
};

/** What the report knows of one test result: its id, status and `pack` label. */
export type ReportedTest = { id: string; status: string; pack?: string };

/** The rule the verdict itself is shown under, and the prefix of each pack's. */
export const VERDICT_RULE = 'packgate verdict';
export const PACK_RULE_PREFIX = 'packgate pack ';

/**
 * The gate's verdict as the report's quality gate: one rule for the verdict (failed when BLOCKED)
 * and one per pack judged (failed when the pack blocks the release), its message the pack's status and
 * reason, with the pack's failed tests under it. Allure's own rules (max failures, success rate)
 * would judge again, differently: the gate has judged already, so the report shows that judgement.
 */
export function verdictQualityGate(verdict: ReportedVerdict, tests: readonly ReportedTest[]): QualityGateResult[] {
  const blocking = verdict.packs.filter(p => p.blocks);
  const results: QualityGateResult[] = [
    {
      success: verdict.verdict !== 'BLOCKED',
      rule: VERDICT_RULE,
      expected: 'PASS or PASS_WITH_WARNINGS',
      actual: verdict.verdict,
      message: blocking.length
        ? `${verdict.headline}; blocked by ${blocking.map(p => p.id).join(', ')}`
        : verdict.headline,
      testResults: [],
    },
  ];
  // A pack a dev run's subset left out (NOT_SELECTED) was not judged: it has no rule to pass or fail.
  for (const pack of verdict.packs.filter(p => p.status !== 'NOT_SELECTED'))
    results.push({
      success: !pack.blocks,
      rule: `${PACK_RULE_PREFIX}${pack.id}`,
      expected: 'not blocking',
      actual: pack.status,
      message: `${pack.title} (${pack.id}): ${pack.status}${pack.blocks ? ', blocks the release' : ''}: ${pack.reason}`,
      testResults: tests
        .filter(t => t.pack === pack.id && (t.status === 'failed' || t.status === 'broken'))
        .map(t => t.id),
    });
  return results;
}
