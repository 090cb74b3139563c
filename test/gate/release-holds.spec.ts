import type { ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { openProjectStore } from '../../src/store/open.ts';
import type { VerdictFile } from '../../src/schema/verdict.ts';
import { demoAtLocalStack, demoRunsOnly } from '../helpers/demo.ts';
import { TaskProject } from '../helpers/task-project.ts';

/**
 * A release-stage gate reads the queue's release holds: one temp project whose demo descriptor is
 * pointed at its own stack and runs auth-session alone (the other packs excluded, so a run is short
 * and a hold on one of them is on a pack demo does not run). The tests share it, in order.
 */
test.describe.configure({ mode: 'serial' });

const ALLOW_HTTP_WARNING = {
  severity: 'warning',
  message:
    'PACKGATE_ALLOW_HTTP=1: plain-HTTP URLs were accepted for stage demo, which requires https; not a release verdict',
};

let project: TaskProject;
let stack: ChildProcess | undefined;
let password: string;

test.beforeAll(async ({}, testInfo) => {
  project = await TaskProject.create(testInfo);
  demoRunsOnly(project.temp, 'auth-session', 'this test runs auth-session alone');
  password = 'holds-' + Date.now();
  project.temp.env.PACKGATE_LOCAL_USER_PASSWORD = password;
  stack = await project.temp.startStack();
});

test.afterAll(() => {
  stack?.kill('SIGTERM');
});

async function bugfix(taskId: string, pack: string, goal: string): Promise<void> {
  const result = await project.packgate(['packet', 'new', '--kind', 'bugfix', '--pack', pack], {
    TASK_ID: taskId,
    OWNER_LANE: 'C-ops',
    GOAL: goal,
    ACCEPTANCE: 'the callback is accepted again',
  });
  expect(result.exitCode, result.output).toBe(0);
}

async function demoGate(): Promise<{ exitCode: number; stdout: string; verdict: VerdictFile; summary: string }> {
  const result = await project.temp.playwright(['--project=demo-remote'], demoAtLocalStack(project.temp, password));
  return { ...result, verdict: project.temp.verdict(), summary: project.read('gate-results/summary.md') };
}

async function withStore<T>(use: (store: Awaited<ReturnType<typeof openProjectStore>>) => Promise<T>): Promise<T> {
  const store = await openProjectStore(project.dir, {});
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

test('an open bug-fix task on auth-session blocks the demo gate, named in verdict.json, summary.md and the terminal, though every test passed', async () => {
  await bugfix('FIX-CALLBACK-1', 'auth-session', 'The demo callback is accepted again');
  const since = await withStore(async store => (await store.releaseHolds({ taskId: 'FIX-CALLBACK-1' }))[0].since);

  const run = await demoGate();
  expect(run.exitCode, run.stdout).toBe(1);
  expect(run.verdict.verdict).toBe('BLOCKED');
  expect(run.verdict.schemaVersion).toBe(2);
  expect(run.verdict.packs.map(p => [p.id, p.status])).toEqual([['auth-session', 'PASS']]);
  const hold = {
    taskId: 'FIX-CALLBACK-1',
    title: 'The demo callback is accepted again',
    kind: 'bugfix',
    state: 'ready',
    pack: 'auth-session',
    why: expect.any(String),
    since,
    ownerLane: 'C-ops',
  };
  expect(run.verdict.queue).toEqual({
    store: expect.stringContaining('.packgate/queue.db'),
    readAt: expect.any(String),
    holds: [hold],
  });
  const why = (run.verdict.queue as { holds: Array<{ why: string }> }).holds[0].why;
  expect(why.length).toBeGreaterThan(0);
  expect(run.verdict.problems).toContainEqual({
    severity: 'error',
    message: expect.stringContaining(
      'release hold: task FIX-CALLBACK-1 "The demo callback is accepted again" (bugfix, ready) holds pack auth-session ' +
        `since ${since}, owner lane C-ops: ${why}`,
    ),
  });
  expect(run.verdict.headline).toContain('held by task FIX-CALLBACK-1');
  expect(run.stdout).toContain('packgate BLOCKED: demo (demo): 1 passed, held by task FIX-CALLBACK-1 of the queue');
  expect(run.stdout).toContain('release holds: 1 release hold in');
  expect(run.summary).toContain('Release holds (each blocks this release)');
  expect(run.summary).toContain(
    `| FIX-CALLBACK-1 | The demo callback is accepted again | auth-session | ${why} | ${since} | C-ops |`,
  );
});

test('accepted coverage and an unexpired accepted risk clear their holds; a hold on a pack demo does not run has no effect: the gate passes', async () => {
  await bugfix('FIX-RISKY-2', 'auth-session', 'A second auth fix, its risk accepted for now');
  await bugfix('FIX-TERMINAL-3', 'terminal', 'A terminal fix, on a pack this demo excludes');
  await withStore(async store => {
    await store.clearReleaseHolds('FIX-CALLBACK-1', {
      as: 'coverage',
      actor: 'reviewer',
      reason: 'regression accepted',
    });
    await store.clearReleaseHolds('FIX-RISKY-2', {
      as: 'risk',
      actor: 'coordinator',
      reason: 'shipping the demo first',
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    expect((await store.releaseHolds({ activeOnly: true })).map(h => [h.taskId, h.pack])).toEqual([
      ['FIX-TERMINAL-3', 'terminal'],
    ]);
  });

  const run = await demoGate();
  expect(run.exitCode, run.stdout).toBe(0);
  expect(run.verdict.verdict).toBe('PASS_WITH_WARNINGS');
  expect(run.verdict.problems).toEqual([ALLOW_HTTP_WARNING]);
  expect(run.verdict.queue).toEqual({
    store: expect.stringContaining('.packgate/queue.db'),
    readAt: expect.any(String),
    holds: [],
  });
  expect(run.summary).toContain('Release holds: none, read from');
  expect(run.stdout).toContain('release holds: no release hold in');
});

test('an accepted risk whose expiry has passed holds again, from its expiry', async () => {
  const expired = '2020-01-01T00:00:00.000Z';
  project.sql(`UPDATE release_holds SET risk_expires_at = ? WHERE task_id = ?`, expired, 'FIX-RISKY-2');

  const run = await demoGate();
  expect(run.exitCode, run.stdout).toBe(1);
  expect(run.verdict.verdict).toBe('BLOCKED');
  expect(run.verdict.packs.map(p => [p.id, p.status])).toEqual([['auth-session', 'PASS']]);
  expect(run.verdict.queue).toMatchObject({
    holds: [
      {
        taskId: 'FIX-RISKY-2',
        pack: 'auth-session',
        since: expired,
        why: expect.stringContaining(
          `the risk accepted by coordinator (shipping the demo first) expired at ${expired}`,
        ),
      },
    ],
  });
  expect(run.verdict.headline).toContain('held by task FIX-RISKY-2');
});

test("a skipped coverage's coverage task holds the demo gate, after its fix is accepted, until a coordinator accepts its risk", async () => {
  // The expired risk of the test before is settled: its coverage came after all.
  await withStore(store =>
    store.clearReleaseHolds('FIX-RISKY-2', { as: 'coverage', actor: 'reviewer', reason: 'covered after all' }),
  );
  await bugfix('FIX-SKIPPED-4', 'auth-session', 'A fix whose regression cannot be written at its layer yet');
  const started = await project.packgate(['task', 'start', 'FIX-SKIPPED-4', '--session', 'fixer-4']);
  expect(started.exitCode, started.output).toBe(0);
  const skipped = 'the demo IdP cannot be reset between tests yet, so no test can register a callback by hand';
  project.write({
    'fix.yaml': [
      'task_id: FIX-SKIPPED-4',
      'root_cause: the deployment registered its callback by hand and dropped the /auth path',
      'owning_layer: remote',
      'impact: nobody could sign in on demo',
      'proof_command: npx playwright test --project=demo-remote packs/auth-session/',
      'layer_rationale: only the deployment registers its own callback',
      `skipped_coverage: ${skipped}`,
      '',
    ].join('\n'),
  });
  const record = await project.packgate(['review', 'record', '--task', 'FIX-SKIPPED-4', '--file', 'fix.yaml']);
  expect(record.exitCode, record.output).toBe(0);
  // The fix itself is accepted; the coverage it could not add still holds the release.
  await withStore(store =>
    store.clearReleaseHolds('FIX-SKIPPED-4', { as: 'coverage', actor: 'reviewer', reason: 'review accepted' }),
  );

  const held = await demoGate();
  expect(held.exitCode, held.stdout).toBe(1);
  expect(held.verdict.verdict).toBe('BLOCKED');
  expect(held.verdict.queue).toMatchObject({
    holds: [
      {
        taskId: 'FIX-SKIPPED-4-COVERAGE',
        kind: 'coverage',
        pack: 'auth-session',
        why: `no regression at the remote layer for FIX-SKIPPED-4: ${skipped}`,
      },
    ],
  });

  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const risk = await project.packgate([
    'review',
    'accept-risk',
    '--task',
    'FIX-SKIPPED-4-COVERAGE',
    '--reason',
    'the demo login is checked by hand before each release until the test exists',
    '--expires',
    expires,
    '--actor',
    'coordinator',
  ]);
  expect(risk.exitCode, risk.output).toBe(0);
  const released = await demoGate();
  expect(released.exitCode, released.stdout).toBe(0);
  expect(released.verdict.queue).toMatchObject({ holds: [] });
});

test('no store configured: the demo gate is BLOCKED with the reason, never a silent pass', async () => {
  project.temp.edit('packgate.yaml', text => text.replace(/^# The queue store every gate run[^]*?^store: .*\n/m, ''));
  expect(project.read('packgate.yaml')).not.toContain('store');

  const run = await demoGate();
  expect(run.exitCode, run.stdout).toBe(1);
  expect(run.verdict.verdict).toBe('BLOCKED');
  expect(run.verdict.packs.map(p => [p.id, p.status])).toEqual([['auth-session', 'PASS']]);
  expect(run.verdict.queue).toEqual({ store: null, reason: expect.stringContaining('no queue store is configured') });
  expect(run.verdict.problems).toContainEqual({
    severity: 'error',
    message: expect.stringMatching(
      /^release holds were not read: no queue store is configured .*a demo gate is not judged without them: configure the queue store/,
    ),
  });
  expect(run.verdict.headline).toContain('release holds not read');
  expect(run.summary).toContain('Release holds: **not read**');
});
