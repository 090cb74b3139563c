import { expect, test } from '@playwright/test';
import { judgeRun, type JudgementRules, type PackInput, type JudgedTest } from '../../src/gate/judge.ts';

const dev: JudgementRules = { requireAllPacks: false, flaky: 'warn' };
const release: JudgementRules = { requireAllPacks: true, flaky: 'warn' };
const prod: JudgementRules = { requireAllPacks: true, flaky: 'block' };

const passed = (title = 't'): JudgedTest => ({ title, outcome: 'expected', lastStatus: 'passed' });
const failed = (title = 't', error = 'boom'): JudgedTest => ({
  title,
  outcome: 'unexpected',
  lastStatus: 'failed',
  error,
});
const pack = (id: string, tests: JudgedTest[], extra: Partial<PackInput> = {}): PackInput => ({
  id,
  policy: 'blocking',
  dependsOn: [],
  tests,
  ...extra,
});

test('all packs passing is PASS', () => {
  const run = judgeRun([pack('a', [passed(), passed()]), pack('b', [passed()])], release);
  expect(run.verdict).toBe('PASS');
  expect(run.packs.map(p => [p.id, p.status, p.blocks])).toEqual([
    ['a', 'PASS', false],
    ['b', 'PASS', false],
  ]);
  expect(run.packs[0].tests).toEqual({ total: 2, passed: 2, failed: 0, flaky: 0, skipped: 0, notRun: 0 });
  expect(run.packs.map(p => p.reason)).toEqual(['all 2 tests passed', 'its 1 test passed']);
});

test('a failing blocking pack blocks, with the failing test and error as reason', () => {
  const run = judgeRun([pack('a', [passed('one'), failed('two', 'IdP refused redirect_uri http://x/cb')])], dev);
  expect(run.verdict).toBe('BLOCKED');
  expect(run.packs[0]).toMatchObject({
    status: 'FAIL',
    blocks: true,
    reason: 'two failed: IdP refused redirect_uri http://x/cb',
  });
});

test('a failing advisory pack alone warns', () => {
  const run = judgeRun([pack('a', [passed()]), pack('b', [failed()], { policy: 'advisory' })], release);
  expect(run.verdict).toBe('PASS_WITH_WARNINGS');
  expect(run.packs[1]).toMatchObject({ status: 'FAIL', blocks: false });
});

test('a blocking pack a release stage requires but that ran no test is NOT_RUN and blocks', () => {
  const run = judgeRun([pack('a', [passed()]), pack('b', [])], release);
  expect(run.verdict).toBe('BLOCKED');
  expect(run.packs[1]).toMatchObject({ status: 'NOT_RUN', blocks: true });
  expect(run.packs[1].reason).toContain('filtered out');
});

test('on a dev partial run, unselected packs are NOT_SELECTED, never PASS, and do not block', () => {
  const run = judgeRun([pack('a', [passed()]), pack('b', [])], dev);
  expect(run.verdict).toBe('PASS');
  expect(run.packs[1]).toMatchObject({ status: 'NOT_SELECTED', blocks: false });
});

test('a run in which no test ran is BLOCKED, whatever the stage', () => {
  const run = judgeRun([pack('a', []), pack('b', [])], dev);
  expect(run.verdict).toBe('BLOCKED');
  expect(run.problems).toEqual([
    { severity: 'error', message: 'no pack test ran: nothing was proven, so nothing passes' },
  ]);
});

test('skipped tests do not pass: the pack is SKIPPED and blocks', () => {
  const run = judgeRun(
    [pack('a', [passed(), { title: 's', outcome: 'skipped', lastStatus: 'skipped', skipReason: 'needs GPU node' }])],
    release,
  );
  expect(run.verdict).toBe('BLOCKED');
  expect(run.packs[0]).toMatchObject({
    status: 'SKIPPED',
    blocks: true,
    reason: '1 of 2 tests skipped: needs GPU node (s)',
  });
});

test('timed-out tests fail, named as timed out', () => {
  const run = judgeRun(
    [
      pack('a', [
        { title: 'slow', outcome: 'unexpected', lastStatus: 'timedOut', error: 'Test timeout of 30000ms exceeded.' },
      ]),
    ],
    dev,
  );
  expect(run.packs[0]).toMatchObject({ status: 'FAIL', reason: 'slow timed out: Test timeout of 30000ms exceeded.' });
});

test('interrupted and never-started tests are NOT_RUN, not passed', () => {
  const run = judgeRun(
    [
      pack('a', [
        passed(),
        { title: 'i', outcome: 'skipped', lastStatus: 'interrupted' },
        { title: 'n', outcome: 'skipped' },
      ]),
    ],
    dev,
    [{ severity: 'error', message: 'the run was interrupted before it finished' }],
  );
  expect(run.verdict).toBe('BLOCKED');
  expect(run.packs[0]).toMatchObject({
    status: 'NOT_RUN',
    blocks: true,
    reason: '2 of 3 tests never finished: the run was interrupted before it finished',
  });
  expect(run.packs[0].tests).toMatchObject({ passed: 1, notRun: 2, skipped: 0 });
});

test('flaky is visible and warns where the environment says warn', () => {
  const run = judgeRun(
    [pack('a', [{ title: 'f', outcome: 'flaky', lastStatus: 'passed', error: 'first try failed' }])],
    release,
  );
  expect(run.verdict).toBe('PASS_WITH_WARNINGS');
  expect(run.packs[0]).toMatchObject({ status: 'FLAKY', blocks: false });
  expect(run.packs[0].reason).toContain('first try failed');
});

test('flaky blocks where the environment says block (prod)', () => {
  const run = judgeRun([pack('a', [{ title: 'f', outcome: 'flaky', lastStatus: 'passed' }])], prod);
  expect(run.verdict).toBe('BLOCKED');
  expect(run.packs[0]).toMatchObject({ status: 'FLAKY', blocks: true });
});

test('a pack failing because a pack it depends on failed is BLOCKED_BY_UPSTREAM, naming it', () => {
  const run = judgeRun(
    [
      pack('auth', [failed('login', 'callback refused')]),
      pack('shell', [failed('nav', 'sign-in failed')], { dependsOn: ['auth'] }),
    ],
    release,
  );
  expect(run.packs[1]).toMatchObject({ status: 'BLOCKED_BY_UPSTREAM', upstream: 'auth', blocks: true });
  expect(run.packs[1].reason).toContain('blocked by upstream pack "auth" (FAIL: login failed: callback refused)');
  expect(run.packs[0].status).toBe('FAIL');
});

test('blocked-by-upstream follows dependencies transitively to the failing pack', () => {
  const run = judgeRun(
    [
      pack('auth', [failed()]),
      pack('shell', [passed()], { dependsOn: ['auth'] }),
      pack('launch', [failed()], { dependsOn: ['shell'] }),
    ],
    release,
  );
  expect(run.packs[2]).toMatchObject({ status: 'BLOCKED_BY_UPSTREAM', upstream: 'auth' });
});

test('a pack that passes despite a failing upstream stays PASS', () => {
  const run = judgeRun([pack('auth', [failed()]), pack('shell', [passed()], { dependsOn: ['auth'] })], release);
  expect(run.packs[1].status).toBe('PASS');
});

test('a run-level error blocks even when every pack passed', () => {
  const run = judgeRun([pack('a', [passed()])], dev, [{ severity: 'error', message: 'web server crashed' }]);
  expect(run.verdict).toBe('BLOCKED');
});

test('a run-level warning turns PASS into PASS_WITH_WARNINGS', () => {
  const run = judgeRun([pack('a', [passed()])], dev, [{ severity: 'warning', message: 'plain HTTP accepted' }]);
  expect(run.verdict).toBe('PASS_WITH_WARNINGS');
});

test('a test declared test.fail() and a test that asserted nothing fail their pack, on any stage', () => {
  const run = judgeRun(
    [
      pack('declared', [
        { title: 'fails on purpose', outcome: 'expected', lastStatus: 'failed', expectedStatus: 'failed' },
      ]),
      pack('empty', [{ ...passed('checks nothing'), assertions: 0 }]),
      pack('real', [{ ...passed('checks'), assertions: 2 }]),
    ],
    dev,
  );
  expect(run.verdict).toBe('BLOCKED');
  expect(run.packs.map(p => [p.id, p.status, p.tests.passed, p.tests.failed])).toEqual([
    ['declared', 'FAIL', 0, 1],
    ['empty', 'FAIL', 0, 1],
    ['real', 'PASS', 1, 0],
  ]);
  expect(run.packs[0].reason).toContain('fails on purpose is declared test.fail()');
  expect(run.packs[1].reason).toBe(
    'checks nothing asserted nothing: a test passes the gate only when it checked something (call expect)',
  );
});

test('tests a run left out make a release pack NOT_RUN, naming them; on dev they are listed, the pack judged on the rest', () => {
  const missing = ['api: b', 'browser: c'];
  const onRelease = judgeRun([pack('a', [passed('a')], { missing })], release);
  expect(onRelease.verdict).toBe('BLOCKED');
  expect(onRelease.packs[0]).toMatchObject({ status: 'NOT_RUN', blocks: true });
  expect(onRelease.packs[0].reason).toBe(
    '2 of 3 tests did not run (filtered out, sharded out, or their project not selected): "api: b", "browser: c"',
  );
  const onDev = judgeRun([pack('a', [passed('a')], { missing })], dev);
  expect(onDev.verdict).toBe('PASS');
  expect(onDev.packs[0]).toMatchObject({
    status: 'PASS',
    reason: 'the 1 selected test passed; 2 not selected: "api: b", "browser: c"',
  });
  // A failure is still the more useful reason than what did not run.
  const failing = judgeRun([pack('a', [failed('a', 'boom')], { missing })], release);
  expect(failing.packs[0]).toMatchObject({ status: 'FAIL', reason: 'a failed: boom' });
});
