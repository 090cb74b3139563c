import { expect, test } from '@playwright/test';
import { judgeProof, whyNoTest } from '../../src/review/prove-regression.ts';
import { outcomesOfPackEvidence, type TestOutcome } from '../../src/review/test-outcomes.ts';

const regression = { pack: 'auth-session', spec: 'browser.spec.ts', title: 'signs in' };
const where = { before: 'at the base commit b', after: 'at the fix f' };
const outcome = (title: string, status: TestOutcome['status'], spec = 'api.spec.ts'): TestOutcome => ({
  pack: 'auth-session',
  spec,
  title,
  status,
});

test('red before, green after, the others green as before: proven', () => {
  const before = [outcome('signs in', 'failed', 'browser.spec.ts'), outcome('token', 'passed')];
  const after = [outcome('signs in', 'passed', 'browser.spec.ts'), outcome('token', 'passed')];
  expect(judgeProof(regression, before, after, where)).toEqual([]);
});

test('a fix that turns another test red is refused naming it; one red before may stay red', () => {
  const before = [
    outcome('signs in', 'failed', 'browser.spec.ts'),
    outcome('token', 'passed'),
    outcome('replay', 'passed'),
    outcome('broken already', 'failed'),
  ];
  const after = [
    outcome('signs in', 'passed', 'browser.spec.ts'),
    outcome('token', 'failed'),
    outcome('broken already', 'failed'),
  ];
  expect(judgeProof(regression, before, after, where)).toEqual([
    'the fix turns auth-session › api.spec.ts › token red',
    'auth-session › api.spec.ts › replay passed before the fix and did not run after it',
  ]);
});

test('a regression that passes before (even on a retry), or is missing, is refused before the fix is run', () => {
  expect(judgeProof(regression, [outcome('signs in', 'flaky', 'browser.spec.ts')], undefined, where)).toEqual([
    'the regression auth-session › browser.spec.ts › signs in passes before the fix (on a retry): it does not catch this bug',
  ]);
  expect(judgeProof(regression, [outcome('sign in', 'failed', 'browser.spec.ts')], undefined, where)).toEqual([
    'the regression auth-session › browser.spec.ts › signs in is not found in the run at the base commit b (pack auth-session ran: browser.spec.ts › sign in)',
  ]);
});

test('a regression still red after the fix is refused', () => {
  const before = [outcome('signs in', 'sign-in-failed', 'browser.spec.ts')];
  expect(judgeProof(regression, before, [outcome('signs in', 'failed', 'browser.spec.ts')], where)).toEqual([
    'the regression auth-session › browser.spec.ts › signs in fails after the fix: the fix does not make it pass',
  ]);
});

test("a test its pack's failed sign-in kept from starting reads as sign-in-failed; other skips as not-run", () => {
  const evidence = (status: string, setup: 'expected' | 'unexpected') =>
    JSON.stringify({
      pack: 'auth-session',
      status,
      tests: [
        { title: 'sign in as ada', location: 'fixtures/sign-in.setup.ts:17', project: 'local-sign-in', outcome: setup },
        {
          title: 'signs in',
          location: 'packs/auth-session/browser.spec.ts:4',
          project: 'local-browser',
          outcome: 'skipped',
        },
      ],
    });
  expect(outcomesOfPackEvidence(evidence('FAIL', 'unexpected')).map(t => [t.spec, t.status])).toEqual([
    ['sign-in.setup.ts', 'failed'],
    ['browser.spec.ts', 'sign-in-failed'],
  ]);
  expect(outcomesOfPackEvidence(evidence('SKIPPED', 'expected')).map(t => t.status)).toEqual(['passed', 'not-run']);
});

test('a proof run that ran no test says why, from its verdict; one that ran tests, nothing more', () => {
  const verdict = (message: string) => Buffer.from(JSON.stringify({ verdict: 'BLOCKED', problems: [{ message }] }));
  expect(
    whyNoTest({ outcomes: [], verdictBytes: verdict('the run stopped before any test ran: webServer timed out') }),
  ).toBe(', which ran no test: the run stopped before any test ran: webServer timed out');
  expect(whyNoTest({ outcomes: [], verdictBytes: undefined })).toBe('');
  const ran: TestOutcome = { pack: 'p', spec: 's.spec.ts', title: 't', layer: 'api', status: 'passed' } as TestOutcome;
  expect(whyNoTest({ outcomes: [ran], verdictBytes: verdict('x') })).toBe('');
});
