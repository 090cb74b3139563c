import { expect, test } from '@playwright/test';
import { classifyRun, GATE_BLOCKED, MAX_LINES, type RunEnd } from '../../src/watch/classify.ts';
import { firedRules } from '../../src/watch/escalation-rules.ts';
import { escalationText, parseEscalation } from '../../src/watch/build-watch-packet.ts';
import { durationMs } from '../../src/governance/governance-schema.ts';
import { escalationRuleSchema } from '../../src/watch/watch-packet-schema.ts';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';

const exited = (exitCode: number | null, signal: string | null = null): RunEnd => ({
  exitCode,
  signal,
  timedOut: false,
  interrupted: false,
});
const success = { exit_code: 0, verdicts: ['PASS', 'PASS_WITH_WARNINGS'] };
const project = [
  { name: 'auth', patterns: ['401 Unauthorized', 'invalid_grant'] },
  { name: 'network', patterns: ['ECONNREFUSED'] },
];
const classify = (end: RunEnd, log = '', extra: Partial<Parameters<typeof classifyRun>[0]> = {}) =>
  classifyRun({ end, log, packetClasses: [], projectClasses: project, success, ...extra });

test('exit code 0 is success; another exit code is a failure of the first class with a matching line', () => {
  expect(classify(exited(0), 'ECONNREFUSED but recovered')).toMatchObject({ status: 'success', class: null });
  const failed = classify(
    exited(1),
    'start\nPOST /token: 401 Unauthorized\nconnect ECONNREFUSED\nPOST /token: 401 Unauthorized again',
  );
  expect(failed).toMatchObject({
    status: 'failure',
    class: 'auth',
    lines: ['POST /token: 401 Unauthorized', 'POST /token: 401 Unauthorized again'],
  });
  expect(classify(exited(3), 'nothing known')).toMatchObject({ status: 'failure', class: null, lines: [] });
  expect(classify(exited(0), '', { success: { ...success, exit_code: 3 } }).status).toBe('failure');
});

test('colour codes and carriage-return progress lines neither hide a class nor reach its lines', () => {
  const failures = { packetClasses: [{ name: 'test-failure', patterns: ['^\\s*\\d+ failed\\b'] }] };
  expect(classify(exited(1), '\x1b[1m\x1b[31m  2 failed\x1b[39m\x1b[22m\n', failures)).toMatchObject({
    class: 'test-failure',
    lines: ['  2 failed'],
  });
  expect(
    classify(exited(1), 'progress 10%\rprogress 100%\r\x1b[2KError: connect \x1b[33mECONNREFUSED\x1b[0m\r\nbye'),
  ).toMatchObject({ class: 'network', lines: ['Error: connect ECONNREFUSED'] });
});

test("the packet's classes are tried before the project's; matching lines are capped", () => {
  const log = Array.from({ length: 50 }, (_, i) => `line ${i}: ECONNREFUSED`).join('\n');
  const result = classify(exited(1), log, { packetClasses: [{ name: 'dns', patterns: ['line \\d+: ECONN'] }] });
  expect(result.class).toBe('dns');
  expect(result.lines).toHaveLength(MAX_LINES);
});

test('timeout, interruption and a signal (or a shell reporting one as 128+n) are told apart', () => {
  expect(classify({ ...exited(null, 'SIGTERM'), timedOut: true }, 'connect ECONNREFUSED')).toMatchObject({
    status: 'timeout',
    class: 'network',
  });
  expect(classify({ ...exited(null, 'SIGTERM'), interrupted: true, timedOut: true })).toMatchObject({
    status: 'interrupted',
  });
  expect(classify(exited(null, 'SIGKILL'))).toMatchObject({ status: 'crash', class: null, why: 'killed by SIGKILL' });
  expect(classify(exited(137)).status).toBe('crash');
  expect(classify(exited(127)).status).toBe('failure');
});

test('a verdict decides over the words of the log: BLOCKED names its blocking packs, PASS is success', () => {
  const blocked = classify(exited(1), '401 Unauthorized', {
    verdict: {
      verdict: 'BLOCKED',
      blockingPacks: [{ pack: 'auth-session', status: 'FAIL', reason: 'callback returned 500' }],
    },
  });
  expect(blocked).toMatchObject({
    status: 'failure',
    class: GATE_BLOCKED,
    lines: ['auth-session FAIL, callback returned 500'],
  });
  expect(classify(exited(0), 'ECONNREFUSED', { verdict: { verdict: 'PASS', blockingPacks: [] } }).status).toBe(
    'success',
  );
});

test('durations and escalation rules as written', () => {
  expect([durationMs('90s'), durationMs('15m'), durationMs('1.5h'), durationMs('250ms'), durationMs(2)]).toEqual([
    90_000, 900_000, 5_400_000, 250, 2000,
  ]);
  expect(parseEscalation('auth x3 any -> C-ops: rotated?')).toEqual({
    when: { class: 'auth', times: 3, consecutive: false },
    escalate_to: 'C-ops',
    why: 'rotated?',
  });
  expect(parseEscalation('timeout -> Q-gate')).toMatchObject({ when: { status: 'timeout', times: 2 } });
  expect(parseEscalation('auth twice to C-ops')).toBeUndefined();
  // Printed as written (watch show): what is printed parses back to the same rule.
  for (const text of ['auth x3 any -> C-ops: rotated?', 'timeout x2 -> Q-gate: timeout 2 times in a row']) {
    const rule = escalationRuleSchema.parse(parseEscalation(text));
    expect(escalationText(rule)).toBe(text);
    expect(parseEscalation(escalationText(rule))).toEqual(parseEscalation(text));
  }
});

test('a consecutive rule fires on the second matching closeout in a row, and every second one the streak goes on', () => {
  const rule = escalationRuleSchema.parse({ when: { class: 'auth' }, escalate_to: 'C-ops', why: 'creds' });
  const closeouts: WatchCloseout[] = [];
  const fire = (cls: string | null) => {
    closeouts.push({ id: closeouts.length + 1, class: cls, status: cls ? 'failure' : 'success' } as WatchCloseout);
    return firedRules([rule], closeouts).map(f => f.closeouts);
  };
  expect(fire('auth')).toEqual([]);
  expect(fire(null)).toEqual([]);
  expect(fire('auth')).toEqual([]);
  expect(fire('auth')).toEqual([[3, 4]]);
  expect(fire('auth')).toEqual([]);
  expect(fire('auth')).toEqual([[5, 6]]);
  const any = escalationRuleSchema.parse({
    when: { class: 'auth', times: 3, consecutive: false },
    escalate_to: 'C-ops',
    why: 'x',
  });
  expect(firedRules([any], closeouts.slice(0, 4)).map(f => f.closeouts)).toEqual([[1, 3, 4]]);
});

test('an `any` rule fires on every N-th match, not once ever: x1 on each, x2 on the 2nd, 4th, ...', () => {
  const rule = (times: number) =>
    escalationRuleSchema.parse({
      when: { status: 'failure', times, consecutive: false },
      escalate_to: 'C-ops',
      why: 'page',
    });
  const closeouts: WatchCloseout[] = [];
  const fired: Array<[number[][], number[][]]> = [];
  for (const status of ['failure', 'success', 'failure', 'failure', 'failure']) {
    closeouts.push({ id: closeouts.length + 1, class: null, status } as WatchCloseout);
    fired.push(
      [firedRules([rule(1)], closeouts), firedRules([rule(2)], closeouts)].map(f => f.map(r => r.closeouts)) as [
        number[][],
        number[][],
      ],
    );
  }
  expect(fired).toEqual([
    [[[1]], []],
    [[], []],
    [[[3]], [[1, 3]]],
    [[[4]], []],
    [[[5]], [[4, 5]]],
  ]);
});

test('exit codes 126 and 127 are the shell saying the command never ran', () => {
  expect(classify(exited(127), 'sh: 1: claude: not found')).toMatchObject({
    status: 'failure',
    class: null,
    why: 'exit code 127 (the shell found no such command: is it installed, and on PATH?); no failure class matches',
  });
  expect(classify(exited(126)).why).toBe(
    'exit code 126 (the shell found the command but could not execute it); no failure class matches',
  );
  expect(classify(exited(2)).why).toBe('exit code 2; no failure class matches');
});
