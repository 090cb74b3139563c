import type { PackStatus } from '../../../src/schema/verdict.ts';
import type { QueueStore } from '../../../src/store/queue-store.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';

forEachAdapter(() => {
  test('a narrowed run is recorded with what narrowed it, and never counts as a release-gate run', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    // The whole catalogue of dev-env ran: auth-session failed, and that blocks its release.
    const whole = await record(store, 1, 'FAIL', []);
    // Then the one failing test again, with --grep: it passes, which says nothing of the rest.
    const grep = ['--grep=signs in', 'not selected: dev-env-browser'];
    const narrowed = await record(store, 2, 'PASS', grep);

    const runs = await store.gateRuns({ environment: 'dev-env' });
    expect(runs.map(r => [r.id, r.narrowed])).toEqual([
      [narrowed, grep],
      [whole, []],
    ]);

    const [env] = (await store.dashboard.release()).environments;
    expect(env.latestRun.id).toBe(whole);
    expect(env.verdict).toBe('BLOCKED');
    expect(env.packs.map(p => [p.pack, p.status, p.runId])).toEqual([['auth-session', 'FAIL', whole]]);
    const [series] = (await store.dashboard.trends()).series;
    expect(series.points.map(p => [p.runId, p.status])).toEqual([[whole, 'FAIL']]);
  });

  test("a pack's tests the run did not run are kept with it: a PASS of part of the pack reads as such", async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    const missing = ['browser: signs in through the IdP', 'browser: signs out'];
    const id = await record(store, 1, 'PASS', ['not selected: dev-env-browser'], missing);
    const [run] = await store.gateRuns({ id });
    expect(run.packs).toEqual([
      {
        pack: 'auth-session',
        status: 'PASS',
        policy: 'blocking',
        blocks: false,
        reason: 'judged PASS',
        missingTests: missing,
      },
    ]);
    const [whole] = await store.gateRuns({ id: await record(store, 2, 'PASS', []) });
    expect(whole.packs[0]).not.toHaveProperty('missingTests');
  });
});

/** A run of dev-env on no task, `minute` minutes in, with auth-session's status (a FAIL blocks). */
async function record(
  store: QueueStore,
  minute: number,
  status: PackStatus,
  narrowed: string[],
  missingTests?: string[],
): Promise<number> {
  const { run } = await store.recordGateRun({
    subjectDigest: null,
    taskId: null,
    environment: 'dev-env',
    stage: 'dev',
    verdict: status === 'FAIL' ? 'BLOCKED' : 'PASS',
    gitCommit: 'abc123',
    gitDirty: false,
    command: `npx playwright test${narrowed.length ? " --grep='signs in' --project=dev-env-api" : ''}`,
    projects: narrowed.length ? ['dev-env-api'] : ['dev-env-api', 'dev-env-browser'],
    narrowed,
    startedAt: new Date(Date.parse('2026-11-20T10:00:00Z') + minute * 60_000).toISOString(),
    durationMs: 1_000,
    recordedBy: 'test',
    verdictDigest: '0'.repeat(64),
    problems: [],
    packs: [
      {
        pack: 'auth-session',
        status,
        policy: 'blocking',
        blocks: status === 'FAIL',
        reason: `judged ${status}`,
        ...(missingTests ? { missingTests } : {}),
      },
    ],
    evidence: [],
  });
  return run.id;
}
