import { expect, test } from '@playwright/test';
import { judgeManual } from '../../src/gate/manual-judgement.ts';
import type { ManualCheck } from '../../src/schema/manual-check.ts';

const check = (id: string, policy?: ManualCheck['policy']): ManualCheck => ({
  id,
  title: `check ${id}`,
  start: 'home',
  steps: ['look'],
  expected: 'fine',
  lane: 'C-ops',
  valid_for: '1d',
  ...(policy ? { policy } : {}),
});
const now = new Date('2026-12-05T12:00:00Z');
const base = { pack: 'p', packPolicy: 'blocking' as const, stage: 'staging' as const, environment: 'staging', now };
const recorded = (id: string, result: 'pass' | 'fail', expires: string) => ({
  pack: 'p',
  check: id,
  result,
  by: 'alice',
  at: '2026-12-05T00:00:00.000Z',
  expires,
  note: null,
});

test('a valid pass counts; expired, missing and failed blocking checks override the pack; advisory ones warn', () => {
  const read = {
    store: 'queue.db',
    readAt: now.toISOString(),
    verdicts: [
      recorded('ok', 'pass', '2026-12-06T00:00:00.000Z'),
      recorded('old', 'pass', '2026-12-05T11:59:59.000Z'),
      recorded('bad', 'fail', '2026-12-06T00:00:00.000Z'),
    ],
  };
  const judged = judgeManual({
    ...base,
    checks: [check('ok'), check('old'), check('bad'), check('none', { staging: 'advisory' })],
    runsManual: true,
    read,
  });
  expect(judged.outcomes.map(o => [o.id, o.status, o.result, o.policy])).toEqual([
    ['ok', 'valid', 'pass', 'blocking'],
    ['old', 'expired', 'pass', 'blocking'],
    ['bad', 'valid', 'fail', 'blocking'],
    ['none', 'missing', null, 'advisory'],
  ]);
  // The first blocking shortfall names the pack's status and reason.
  expect(judged.override).toEqual({
    status: 'NOT_RUN',
    reason:
      'manual check old has no valid verdict since 2026-12-05T11:59:59.000Z (the pass recorded by alice at 2026-12-05T00:00:00.000Z expired)',
  });
  expect(judged.problems.map(p => [p.severity, p.message.split(';')[0]])).toEqual([
    [
      'error',
      'pack p: manual check old has no valid verdict since 2026-12-05T11:59:59.000Z (the pass recorded by alice at 2026-12-05T00:00:00.000Z expired)',
    ],
    ['error', 'pack p: manual check bad failed (recorded by alice at 2026-12-05T00:00:00.000Z)'],
    ['warning', 'pack p: manual check none has no valid verdict: none was recorded for staging'],
  ]);
});

test('each shortfall says the command that records the check, its lane included: without --lane it is refused', () => {
  const judged = judgeManual({
    ...base,
    checks: [{ ...check('look', { staging: 'advisory' }), lane: 'A-web' }, check('none')],
    runsManual: true,
    read: { store: 'queue.db', readAt: now.toISOString(), verdicts: [] },
  });
  expect(judged.problems.map(p => p.message)).toEqual([
    'pack p: manual check look has no valid verdict: none was recorded for staging; ' +
      'record one with `packgate manual run --pack p --env staging --check look --lane A-web` (advisory here: a warning)',
    'pack p: manual check none has no valid verdict: none was recorded for staging; ' +
      'record one with `packgate manual run --pack p --env staging --check none --lane C-ops`',
  ]);
});

test('a store not read leaves every check missing, saying why; an environment without the layer lists them as not applicable', () => {
  const unread = judgeManual({
    ...base,
    checks: [check('ok')],
    runsManual: true,
    read: { store: null, reason: 'no queue store is configured' },
  });
  expect(unread.override?.reason).toBe(
    'manual check ok has no valid verdict: none was recorded for staging (manual verdicts not read: no queue store is configured)',
  );
  const elsewhere = judgeManual({ ...base, checks: [check('ok')], runsManual: false, read: undefined });
  expect(elsewhere).toEqual({
    outcomes: [expect.objectContaining({ id: 'ok', status: 'not-applicable' })],
    problems: [],
  });
});
