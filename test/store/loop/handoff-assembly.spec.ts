import { expect, test } from '@playwright/test';
import { judgeDrift } from '../../../src/loop/drift.ts';
import { assembleHandoff, type HandoffInput } from '../../../src/loop/handoff.ts';
import type { ContextPacket } from '../../../src/packet/packet-schema.ts';
import type { GateRun, TaskEvent } from '../../../src/store/queue-schema.ts';
import type { BlobCheck } from '../../../src/store/blobs.ts';

const packet: ContextPacket = {
  task_id: 'T-1',
  kind: 'feature',
  track_id: 'T',
  owner_lane: 'C-ops',
  goal: 'gate the callback',
  non_goals: ['no proxy'],
  current_state: 'not started',
  architecture_context: ['x'],
  environment: 'local',
  owned_files: ['packs/**'],
  must_not_touch: ['src/**'],
  commands_to_run: [
    'TASK_ID=T-1 npx playwright test --project=local-api packs/auth-session/',
    'TASK_ID=T-1 npx playwright test --project=local-browser packs/auth-session/',
  ],
  acceptance: ['a plan is recorded', { text: 'sign-in works', pack: 'auth-session', environment: 'local' }],
  workflow_regression_pack: 'auth-session',
  known_risks: ['remote not proven'],
  stop_conditions: ['x'],
  deviation_rules: ['x'],
  handoff_required: ['x'],
};

const D1 = 'a'.repeat(64);
const D2 = 'b'.repeat(64);

function run(overrides: Partial<GateRun> = {}): GateRun {
  return {
    id: 1,
    taskId: 'T-1',
    environment: 'local',
    stage: 'dev',
    verdict: 'PASS',
    gitCommit: 'abcdef1234567890',
    gitDirty: false,
    command: 'npx playwright test --project=local-api',
    projects: ['local-api'],
    narrowed: [],
    startedAt: 'x',
    durationMs: 1,
    recordedAt: '2026-01-01T00:00:00Z',
    recordedBy: 'ci',
    subjectDigest: null,
    verdictDigest: D1,
    problems: [],
    packs: [{ pack: 'auth-session', status: 'PASS', policy: 'blocking', blocks: false, reason: 'all 4 tests passed' }],
    evidence: [{ path: 'verdict.json', pack: null, digest: D1, size: 10 }],
    ...overrides,
  };
}

function proof(item: number, body: Record<string, unknown>): TaskEvent {
  return { id: item, taskId: 'T-1', kind: 'proof', actor: 'ada', at: 'x', body: { item, ...body } };
}

function input(overrides: Partial<HandoffInput> = {}): HandoffInput {
  return {
    taskId: 'T-1',
    packet,
    base: 'base',
    head: 'head',
    changes: judgeDrift(packet, [{ path: 'packs/auth-session/pack.yaml', status: 'modified' }]).changes,
    runs: [run()],
    events: [proof(1, { file: 'plan.md', digest: D2, size: 4 })],
    checks: new Map<string, BlobCheck>([
      [D1, { status: 'ok' }],
      [D2, { status: 'ok' }],
    ]),
    locate: d => `store/${d.slice(0, 4)}`,
    ...overrides,
  };
}

test('complete: every item proven, evidence intact, changes owned', () => {
  const handoff = assembleHandoff(input());
  expect(handoff.missing).toEqual([]);
  expect(handoff.acceptance).toEqual([
    { item: 1, text: 'a plan is recorded', proof: `file plan.md (sha256 ${D2})` },
    { item: 2, text: 'sign-in works', proof: 'gate run #1: auth-session PASS in local' },
  ]);
  expect(handoff.commands.map(c => [c.command, c.result])).toEqual([
    ['npx playwright test --project=local-api', 'pass'],
    ['TASK_ID=T-1 npx playwright test --project=local-browser packs/auth-session/', 'skipped'],
  ]);
  expect(handoff.residualRisks).toEqual([
    'remote not proven',
    'not run: TASK_ID=T-1 npx playwright test --project=local-browser packs/auth-session/ (no gate run of these projects recorded on the task)',
  ]);
  expect(handoff.evidence.map(e => [e.run, e.path, e.status, e.location])).toEqual([
    [1, 'verdict.json', 'ok', 'store/aaaa'],
    [null, 'plan.md', 'ok', 'store/bbbb'],
  ]);
});

test('refused: an acceptance item without proof is named with how to prove it', () => {
  const handoff = assembleHandoff(input({ events: [] }));
  expect(handoff.missing).toEqual([
    'acceptance item 1 "a plan is recorded" has no recorded proof: record one with `packgate task prove T-1 --item 1 --run <gate run> | --file <file>`',
  ]);
});

test('refused: a pack item is not proven by a run in which the pack failed, or in another environment', () => {
  const failed = run({
    verdict: 'BLOCKED',
    packs: [{ pack: 'auth-session', status: 'FAIL', policy: 'blocking', blocks: true, reason: 'boom' }],
  });
  const elsewhere = run({ id: 2, environment: 'demo' });
  const handoff = assembleHandoff(input({ runs: [failed, elsewhere] }));
  expect(handoff.missing).toEqual([
    'acceptance item 2 "sign-in works" has no recorded proof: record a gate run on the task in which auth-session passes in local',
  ]);
  expect(handoff.packs.map(p => [p.run, p.result])).toEqual([
    [1, 'fail'],
    [2, 'pass'],
  ]);
});

test('refused: a pack item is not proven by a run that left some of its tests out, and the run is named with them', () => {
  // Before: "record a gate run ... in which auth-session passes in local", of a run in which it had passed.
  const apiOnly = run({
    packs: [
      {
        pack: 'auth-session',
        status: 'PASS',
        policy: 'blocking',
        blocks: false,
        reason: 'all 3 tests run passed',
        missingTests: ['browser.spec.ts › signs in and out'],
      },
    ],
  });
  expect(assembleHandoff(input({ runs: [apiOnly] })).missing).toEqual([
    'acceptance item 2 "sign-in works" has no recorded proof: gate run #1: auth-session passed in it with 1 of its tests ' +
      'not run (browser.spec.ts › signs in and out); record a gate run on the task in which auth-session passes in local, ' +
      'every test of it run (all its layers selected)',
  ]);
});

test('refused: evidence changed since it was stored, or gone', () => {
  const handoff = assembleHandoff(
    input({ checks: new Map<string, BlobCheck>([[D1, { status: 'mismatch', actual: 'c'.repeat(64) }]]) }),
  );
  expect(handoff.missing).toEqual([
    `evidence verdict.json of gate run #1 (sha256 ${D1}) is changed since it was stored: it no longer matches its digest`,
    `evidence plan.md (sha256 ${D2}) is missing from the store`,
  ]);
  expect(handoff.evidence.map(e => e.status)).toEqual(['tampered', 'missing']);
});

test('refused: a change outside the packet', () => {
  const changes = judgeDrift(packet, [{ path: 'src/x.ts', status: 'added' }]).changes;
  expect(assembleHandoff(input({ changes })).missing).toEqual([
    'src/x.ts is outside the packet (drift rule 2: must_not_touch (src/**): stop and escalate)',
  ]);
});

test('the problems and non-passing packs of the latest run become residual risks', () => {
  const older = run({
    id: 1,
    packs: [{ pack: 'auth-session', status: 'FAIL', policy: 'blocking', blocks: true, reason: 'old failure' }],
  });
  const newer = run({
    id: 2,
    problems: [{ severity: 'warning', message: 'an attachment was deleted' }],
    packs: [{ pack: 'auth-session', status: 'FLAKY', policy: 'blocking', blocks: false, reason: 'passed on retry' }],
  });
  const risks = assembleHandoff(input({ runs: [newer, older] })).residualRisks;
  expect(risks).toContain('gate run #2: warning: an attachment was deleted');
  expect(risks).toContain('gate run #2: auth-session FLAKY (did not block): passed on retry');
  expect(risks.join('\n')).not.toContain('old failure');
});

test('refused: a pack item is not proven by a file, nor by a run named for it in which the pack did not pass', () => {
  const failed = run({
    verdict: 'BLOCKED',
    packs: [{ pack: 'auth-session', status: 'FAIL', policy: 'blocking', blocks: true, reason: 'boom' }],
  });
  const handoff = assembleHandoff(
    input({
      runs: [failed],
      events: [
        proof(1, { file: 'plan.md', digest: D2, size: 4 }),
        proof(2, { file: 'plan.md', digest: D2, size: 4 }),
        proof(2, { run: 1 }),
      ],
    }),
  );
  expect(handoff.acceptance.map(a => a.proof)).toEqual([`file plan.md (sha256 ${D2})`, null]);
  expect(handoff.missing).toEqual([
    'acceptance item 2 "sign-in works" has no recorded proof: record a gate run on the task in which auth-session passes in local',
  ]);
});

test('a pack item proven by the run it last passed in, recorded for it too, lists that run once, with the note', () => {
  const handoff = assembleHandoff(
    input({
      runs: [run(), run({ id: 2 })],
      events: [proof(1, { file: 'plan.md', digest: D2, size: 4 }), proof(2, { run: 2, note: 'the callback fix' })],
    }),
  );
  // Before: "gate run #2: the callback fix; gate run #2: auth-session PASS in local".
  expect(handoff.acceptance[1].proof).toBe('gate run #2: auth-session PASS in local (the callback fix)');
  // A run recorded for it that is not the latest it passed in: both, the recorded one first.
  const older = assembleHandoff(
    input({
      runs: [run(), run({ id: 2 })],
      events: [proof(1, { file: 'plan.md', digest: D2, size: 4 }), proof(2, { run: 1 })],
    }),
  );
  expect(older.acceptance[1].proof).toBe(
    'gate run #1: auth-session PASS in local; gate run #2: auth-session PASS in local',
  );
});
