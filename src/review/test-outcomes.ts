import path from 'node:path';
import { z } from 'zod';
import type { RegressionLocation } from './fix-record-schema.ts';

/**
 * How one test came out of a run, read from the gate's own per-pack evidence
 * (`evidence/<pack>/evidence.json`): the record the gate judged the pack by, so a proof reads the
 * same outcomes as the verdict, retries included, whichever reporters the run had.
 */
export type TestOutcome = {
  pack: string;
  /** The spec's file name in the pack's folder; the sign-in setup's own file for its tests. */
  spec: string;
  title: string;
  /**
   * passed, failed (its last attempt failed), flaky (passed on a retry), not-run (skipped or never
   * started), or sign-in-failed: never started because the sign-in setup its pack proves failed, which
   * the gate counts as that pack's failure.
   */
  status: 'passed' | 'failed' | 'flaky' | 'not-run' | 'sign-in-failed';
};

/** What a proof reads of evidence.json: the rest is the gate's business. */
const packEvidenceSchema = z.object({
  pack: z.string(),
  status: z.string(),
  tests: z.array(
    z.object({
      title: z.string(),
      location: z.string(),
      project: z.string(),
      outcome: z.enum(['expected', 'unexpected', 'flaky', 'skipped']),
    }),
  ),
});

/** `<pack> › <spec> › <title>`, as refusals and the event name a test. */
export function testName(test: Pick<TestOutcome, 'pack' | 'spec' | 'title'>): string {
  return `${test.pack} › ${test.spec} › ${test.title}`;
}

export function isRegression(test: TestOutcome, regression: RegressionLocation): boolean {
  return test.pack === regression.pack && test.spec === regression.spec && test.title === regression.title;
}

/**
 * The outcomes in one pack's evidence.json. A test whose pack FAILed on its sign-in setup (the
 * setup's tests are filed under the pack that proves the sign-in) and that never started is
 * `sign-in-failed`: the bug stopped it before its first step.
 */
export function outcomesOfPackEvidence(text: string): TestOutcome[] {
  const evidence = packEvidenceSchema.parse(JSON.parse(text));
  const signInFailed = evidence.tests.some(t => t.project.endsWith('-sign-in') && t.outcome === 'unexpected');
  return evidence.tests.map(test => {
    const status: TestOutcome['status'] =
      test.outcome === 'expected'
        ? 'passed'
        : test.outcome === 'unexpected'
          ? 'failed'
          : test.outcome === 'flaky'
            ? 'flaky'
            : signInFailed && evidence.status === 'FAIL'
              ? 'sign-in-failed'
              : 'not-run';
    return {
      pack: evidence.pack,
      spec: path.basename(test.location.replace(/:\d+(:\d+)?$/, '')),
      title: test.title,
      status,
    };
  });
}
