import { openStoreReadOnly } from '../../../src/store/open-read-only.ts';
import type { PackStatus } from '../../../src/schema/verdict.ts';
import type { NewGateRun } from '../../../src/store/queue-schema.ts';
import type { QueueStore } from '../../../src/store/queue-store.ts';
import { DAYS, dayStart, PACKS, seedDashboard, STATUSES, XSS } from '../../helpers/dashboard-seed.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';

forEachAdapter(() => {
  test('the dashboard reads: tasks filtered and paged, the release view, trends, health; a read-only store refuses writes', async ({
    openTestStore,
    storeLocation,
  }, testInfo) => {
    const seeded = await seedDashboard(openTestStore, testInfo.outputPath('runs'));
    const store = await openStoreReadOnly(storeLocation);
    try {
      const reads = store.dashboard;

      // Tasks: every filter narrows in SQL, and the total counts every match, not the page.
      const all = await reads.tasks({ limit: 200 });
      expect(all.total).toBe(10);
      expect(new Set(all.tasks.map(t => t.state))).toEqual(
        new Set(['proposed', 'ready', 'in_progress', 'in_review', 'done', 'parked', 'blocked', 'escalated']),
      );
      expect(all.tasks.find(t => t.id === 'T-PROPOSED')?.title).toBe(XSS[0]);
      const page = await reads.tasks({ lane: 'C-ops', limit: 3, offset: 3 });
      expect(page).toMatchObject({ total: 7, offset: 3, limit: 3 });
      expect(page.tasks.map(t => t.ownerLane)).toEqual(['C-ops', 'C-ops', 'C-ops']);
      expect((await reads.tasks({ state: 'in_progress' })).tasks.map(t => t.id).sort()).toEqual([
        'T-PROGRESS',
        'T-STALE',
      ]);
      expect((await reads.tasks({ kind: 'bugfix' })).tasks.map(t => t.id)).toEqual(['BUG-1']);
      expect((await reads.tasks({ pack: 'workspace-launch' })).tasks.map(t => t.id)).toEqual(['T-DONE']);
      expect((await reads.tasks({ environment: 'local' })).tasks.map(t => t.id)).toEqual(['T-PARKED']);
      expect((await reads.tasks({ lane: 'P-platform' })).total).toBe(0);

      // Release: demo is blocked by its failing pack (since day 2) and by the hold on auth-session; on
      // local (dev) the hold warns, as the gate warns of it there.
      const release = await reads.release();
      expect(release.environments.map(e => [e.environment, e.verdict])).toEqual([
        ['demo', 'BLOCKED'],
        ['local', 'PASS_WITH_WARNINGS'],
      ]);
      const demo = release.environments[0];
      expect(demo.latestRun.id).toBe(seeded.runs.demo[DAYS - 1]);
      expect(demo.packs.map(p => [p.pack, p.status, p.blocks, p.since, p.sinceAtLeast, p.owner])).toEqual([
        ['auth-session', 'PASS', false, dayStart(0, 'demo'), false, 'C-ops'],
        ['workspace-launch', 'FAIL', true, dayStart(2, 'demo'), false, 'P-platform'],
      ]);
      expect(demo.blockers).toEqual([
        `workspace-launch FAIL (lane P-platform): the launch failed: ${XSS[1]}`,
        `auth-session held by task BUG-1 (bugfix, lane C-ops): open bug fix: ${XSS[2]}`,
      ]);
      expect(release.environments[1].holds.map(h => h.taskId)).toEqual(['BUG-1']);
      expect(release.environments[1].blockers).toEqual([]);
      expect(release.environments[1].warnings).toEqual([
        `auth-session held by task BUG-1 (bugfix, lane C-ops): open bug fix: ${XSS[2]} (a warning on dev: it blocks the release stages)`,
      ]);
      expect(demo.warnings).toEqual([]);
      expect(release.environments[1].packs.find(p => p.pack === 'auth-session')?.since).toBe(dayStart(3, 'local'));

      // Trends: one point per release-gate run (the task's run is not one), oldest first.
      const trends = await reads.trends();
      for (const env of ['local', 'demo'])
        for (const pack of PACKS) {
          const series = trends.series.find(s => s.environment === env && s.pack === pack)!;
          expect(series.points.map(p => p.status)).toEqual(STATUSES[env][pack]);
          expect(series.points.map(p => p.runId)).toEqual(seeded.runs[env]);
        }
      expect(trends.series.find(s => s.environment === 'local' && s.pack === 'auth-session')?.counts).toEqual({
        pass: 4,
        warn: 1,
        block: 0,
        flaky: 1,
      });
      expect((await reads.trends({ environment: 'demo', pack: 'workspace-launch', runs: 2 })).series).toEqual([
        expect.objectContaining({ counts: { pass: 0, warn: 0, block: 2, flaky: 0 } }),
      ]);

      // Runs: paged newest first; a run by id with its packs and evidence.
      const runs = await reads.gateRuns({ offset: 0, limit: 4 });
      expect(runs.total).toBe(DAYS * 2 + 1);
      expect(runs.runs[0].id).toBe(seeded.taskRun);
      expect((await reads.gateRuns({ environment: 'demo', offset: 0, limit: 50 })).runs.map(r => r.id)).toEqual(
        [...seeded.runs.demo].reverse(),
      );
      expect((await reads.gateRun(seeded.changedRun))?.packs.map(p => p.pack)).toEqual([...PACKS]);

      // Health: the silent session's hold, the escalation, the hold in force.
      const health = await reads.health();
      expect(health.staleHolds.map(t => t.id)).toEqual(['T-STALE']);
      expect(health.escalations.map(e => [e.taskId, e.reason, e.state])).toEqual([
        ['T-ESCALATED', XSS[3], 'escalated'],
      ]);
      expect(health.activeReleaseHolds.map(h => h.taskId)).toEqual(['BUG-1']);

      // The change stamp moves with a write, and only then.
      const stamp = await reads.changeStamp();
      expect(await reads.changeStamp()).toEqual(stamp);
      const writer = await openTestStore();
      await writer.addEvent('T-READY', 'note', { note: 'later' }, 'coordinator');
      expect((await reads.changeStamp()).data).not.toBe(stamp.data);
      // Files added to a recorded run (as `report allure` adds its report) move it too.
      const beforeFiles = await reads.changeStamp();
      const { digest, size } = await writer.blobs.put(Buffer.from('<html>report</html>'));
      await writer.addGateRunFiles(seeded.runs.local[0], [
        { path: 'allure-report/index.html', pack: null, digest, size },
      ]);
      expect((await reads.changeStamp()).data).not.toBe(beforeFiles.data);
      // A heartbeat moves only its own part: a page that shows no heartbeat need not reload for it.
      const beforeBeat = await reads.changeStamp();
      await new Promise(resolve => setTimeout(resolve, 5));
      await writer.heartbeat('session-live');
      const afterBeat = await reads.changeStamp();
      expect(afterBeat.data).toBe(beforeBeat.data);
      expect(afterBeat.heartbeats).not.toBe(beforeBeat.heartbeats);
      // Time alone turns a silent session stale, with nothing written: the heartbeats part moves, so
      // a page that shows a session or holder as live reloads to show it stale.
      const later = await openStoreReadOnly(storeLocation, { now: () => new Date(Date.now() + 2 * 3_600_000) });
      try {
        const stampLater = await later.dashboard.changeStamp();
        expect(stampLater.data).toBe(afterBeat.data);
        expect(stampLater.heartbeats).not.toBe(afterBeat.heartbeats);
      } finally {
        await later.close();
      }

      // Read-only: the database itself refuses a write through this store.
      await expect(store.createTask({ id: 'T-NEW', title: 'no' }, 'intruder')).rejects.toThrow(/read.?only/i);
      await expect(store.addEvent('T-READY', 'note', { note: 'no' }, 'intruder')).rejects.toThrow(/read.?only/i);
      expect((await reads.tasks()).total).toBe(10);
    } finally {
      await store.close();
    }
  });

  test('tasks with no lane: the lane filter "-" finds exactly them', async ({ openTestStore, storeLocation }) => {
    const writer = await openTestStore();
    await writer.createTask({ id: 'LANED', title: 'has a lane', ownerLane: 'C-ops' }, 'test');
    await writer.createTask({ id: 'LANELESS', title: 'has none', ownerLane: null }, 'test');
    const store = await openStoreReadOnly(storeLocation);
    try {
      const none = await store.dashboard.tasks({ lane: '-' });
      expect(none).toMatchObject({ total: 1 });
      expect(none.tasks.map(t => t.id)).toEqual(['LANELESS']);
      expect((await store.dashboard.tasks({ lane: 'C-ops' })).tasks.map(t => t.id)).toEqual(['LANED']);
    } finally {
      await store.close();
    }
  });

  test("the queue lists tasks by lane, then by the workflow's order of states (not their names), no lane last on both adapters", async ({
    openTestStore,
    storeLocation,
  }) => {
    const writer = await openTestStore();
    // Imported out of order, each lane with states whose names sort otherwise (blocked < done < ... < ready).
    const tasks = [
      ['N-READY', null, 'ready'],
      ['A-BLOCKED', 'A-web', 'blocked'],
      ['A-DONE', 'A-web', 'done'],
      ['A-ESCALATED', 'A-web', 'escalated'],
      ['A-REVIEW', 'A-web', 'in_review'],
      ['A-PROPOSED', 'A-web', 'proposed'],
      ['A-READY', 'A-web', 'ready'],
      ['N-DONE', null, 'done'],
      ['C-PARKED', 'C-ops', 'parked'],
      ['C-READY', 'C-ops', 'ready'],
    ] as const;
    await writer.importTasks(
      tasks.map(([id, ownerLane, state]) => ({
        id,
        title: id,
        state,
        kind: 'feature',
        ownerLane,
        trackId: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        packet: null,
        packetDigest: null,
        legacyReason: null,
        dependsOn: [],
        events: [],
      })),
      'test',
    );
    const store = await openStoreReadOnly(storeLocation);
    try {
      const order = [
        'A-PROPOSED',
        'A-READY',
        'A-REVIEW',
        'A-DONE',
        'A-BLOCKED',
        'A-ESCALATED',
        'C-READY',
        'C-PARKED',
        'N-READY',
        'N-DONE',
      ];
      expect((await store.dashboard.tasks()).tasks.map(t => t.id)).toEqual(order);
      // Paged, the pages follow the same order: the page's ids are picked in it.
      const pages = [0, 3, 6, 9].map(offset => store.dashboard.tasks({ offset, limit: 3 }));
      expect((await Promise.all(pages)).flatMap(p => p.tasks.map(t => t.id))).toEqual(order);
      // The lanes of the queue's summary table: no lane last there too.
      const lanes = (await store.dashboard.laneStateCounts()).map(c => c.lane);
      expect([...new Set(lanes)]).toEqual(['A-web', 'C-ops', null]);
    } finally {
      await store.close();
    }
  });

  test.describe("on a PostgreSQL database whose collation is a locale's", () => {
    // What a server set up with en_US would order by; SQLite and a C database compare bytes.
    test.use({ icuLocale: 'und' });

    test('lanes, task ids, environments and packs are listed in byte order, as SQLite compares, whatever the collation', async ({
      openTestStore,
      storeLocation,
    }) => {
      // A locale orders these a_b, a-b, aB, Z (case and punctuation second); bytes Z, a-b, aB, a_b.
      const names = ['a_b', 'aB', 'a-b', 'Z'];
      const bytes = ['Z', 'a-b', 'aB', 'a_b'];
      const writer = await openTestStore();
      // Laned tasks whose ids run against their lanes' byte order, and tasks with no lane named by the names.
      const tasks = [
        { id: 'T-1', lane: 'a_b' },
        { id: 'T-2', lane: 'aB' },
        { id: 'T-3', lane: 'a-b' },
        { id: 'T-4', lane: 'Z' },
        ...names.map(id => ({ id, lane: null })),
      ];
      await writer.importTasks(
        tasks.map(({ id, lane }) => ({
          id,
          title: id,
          state: 'ready' as const,
          kind: 'feature' as const,
          ownerLane: lane,
          trackId: null,
          createdAt: '2026-01-01T00:00:00.000Z',
          // A packet, since a task without one cannot be claimed.
          packet: { task_id: id },
          packetDigest: `digest-${id}`,
          legacyReason: null,
          dependsOn: [],
          events: [],
        })),
        'test',
      );
      for (const [pid, id] of names.entries())
        await writer.claim(id, {
          session: { id: `s-${id}`, actor: 'agent', host: 'host', pid },
          actor: 'agent',
          reason: 'go',
        });
      for (const [minute, environment] of names.entries())
        await recordRun(writer, minute, Object.fromEntries(names.map(pack => [pack, 'PASS' as const])), environment);
      // Read two hours on, when every hold is stale.
      const store = await openStoreReadOnly(storeLocation, { now: () => new Date(Date.now() + 2 * 3_600_000) });
      try {
        // Lanes Z, a-b, aB, a_b, then no lane. Before, on PostgreSQL: T-1, T-3, T-2, T-4 (lanes a_b, a-b,
        // aB, Z), then a_b, a-b, aB, Z; and each list below in that locale's order.
        expect((await store.dashboard.tasks()).tasks.map(t => t.id)).toEqual(['T-4', 'T-3', 'T-2', 'T-1', ...bytes]);
        expect([...new Set((await store.dashboard.laneStateCounts()).map(c => c.lane))]).toEqual([...bytes, null]);
        expect((await store.dashboard.health()).staleHolds.map(t => t.id)).toEqual(bytes);
        const release = await store.dashboard.release();
        expect(release.environments.map(e => e.environment)).toEqual(bytes);
        expect(release.environments[0].packs.map(p => p.pack)).toEqual(bytes);
        const trends = (await store.dashboard.trends()).series.map(s => `${s.environment} ${s.pack}`);
        expect(trends).toEqual(bytes.flatMap(environment => bytes.map(pack => `${environment} ${pack}`)));
      } finally {
        await store.close();
      }
    });
  });

  test('release view and trends: a run that selected only some packs leaves the others at the latest run that ran them', async ({
    openTestStore,
    storeLocation,
  }) => {
    const writer = await openTestStore();
    const record = async (minute: number, statuses: Record<string, PackStatus>) =>
      (await recordRun(writer, minute, statuses)).run.id;
    const failed = await record(1, {
      'auth-session': 'FAIL',
      'workspace-launch': 'PASS',
      'app-launch': 'NOT_SELECTED',
    });
    const partial = await record(2, {
      'auth-session': 'NOT_SELECTED',
      'workspace-launch': 'PASS',
      'app-launch': 'NOT_SELECTED',
    });
    const store = await openStoreReadOnly(storeLocation);
    try {
      const [dev] = (await store.dashboard.release()).environments;
      expect(dev.latestRun.id).toBe(partial);
      // auth-session's FAIL still blocks: the partial run did not run it. app-launch never ran at all.
      expect(dev.verdict).toBe('BLOCKED');
      expect(dev.packs.map(p => [p.pack, p.status, p.runId, p.since])).toEqual([
        ['app-launch', 'NOT_SELECTED', partial, at(1)],
        ['auth-session', 'FAIL', failed, at(1)],
        ['workspace-launch', 'PASS', partial, at(1)],
      ]);
      expect(dev.blockers).toEqual(['auth-session FAIL (lane unknown): judged FAIL']);

      // auth-session passes in a run that selects it alone: workspace-launch's PASS stays, from its own run.
      const passed = await record(3, {
        'auth-session': 'PASS',
        'workspace-launch': 'NOT_SELECTED',
        'app-launch': 'NOT_SELECTED',
      });
      const after = (await store.dashboard.release()).environments[0];
      expect(after.verdict).toBe('PASS');
      expect(after.packs.map(p => [p.pack, p.status, p.runId, p.since])).toEqual([
        ['app-launch', 'NOT_SELECTED', passed, at(1)],
        ['auth-session', 'PASS', passed, at(3)],
        ['workspace-launch', 'PASS', partial, at(1)],
      ]);
      expect(after.blockers).toEqual([]);

      // Trends: a run that did not select a pack is no point of its trend (and no 'warn'); app-launch has none.
      const trends = (await store.dashboard.trends({ environment: 'dev-env' })).series;
      expect(trends.map(t => [t.pack, t.points.map(p => [p.runId, p.status]), t.counts])).toEqual([
        [
          'auth-session',
          [
            [failed, 'FAIL'],
            [passed, 'PASS'],
          ],
          { pass: 1, warn: 0, block: 1, flaky: 0 },
        ],
        [
          'workspace-launch',
          [
            [failed, 'PASS'],
            [partial, 'PASS'],
          ],
          { pass: 2, warn: 0, block: 0, flaky: 0 },
        ],
      ]);
    } finally {
      await store.close();
      await writer.close();
    }
  });

  test('release view: a run blocked or warned of by its own problems, not a pack, says them; a hold in force is said once', async ({
    openTestStore,
    storeLocation,
  }) => {
    const writer = await openTestStore();
    const notRead =
      'release holds were not read: the store did not answer; a demo gate is not judged without them: ' +
      'make the store readable (its URL, its server, its file) and run the gate again';
    const heldLine = (task: string) =>
      `release hold: task ${task} "signs out" (bugfix, ready) holds pack auth-session since ${at(0)}, owner lane C-ops: open bug; it clears when ...`;
    await writer.createTask({ id: 'BUG-9', title: 'signs out', kind: 'bugfix', ownerLane: 'C-ops' }, 'test');
    await writer.openReleaseHold({ taskId: 'BUG-9', pack: 'auth-session', reason: 'open bug', createdBy: 'test' });
    const blocked = (
      await recordRun(writer, 1, { 'auth-session': 'PASS' }, 'demo-env', {
        stage: 'demo',
        verdict: 'BLOCKED',
        problems: [
          { severity: 'error', message: notRead },
          { severity: 'error', message: heldLine('BUG-9') },
          { severity: 'error', message: heldLine('BUG-8') },
        ],
      })
    ).run.id;
    const warned = (
      await recordRun(writer, 2, { 'auth-session': 'PASS' }, 'dev-env', {
        verdict: 'PASS_WITH_WARNINGS',
        problems: [{ severity: 'warning', message: 'plain HTTP allowed for auth' }],
      })
    ).run.id;
    const store = await openStoreReadOnly(storeLocation);
    try {
      const [demo, dev] = (await store.dashboard.release()).environments;
      // Every pack passed: the run's problems are what block it, never "nothing blocks the release"
      // beside a BLOCKED verdict. BUG-9 still holds auth-session: said once, as the hold in force;
      // BUG-8's hold, cleared since, blocked the run and is said as the run said it.
      expect(demo.verdict).toBe('BLOCKED');
      expect(demo.blockers).toEqual([
        'auth-session held by task BUG-9 (bugfix, lane C-ops): open bug',
        `run #${blocked}: ${notRead}`,
        `run #${blocked}: ${heldLine('BUG-8')}`,
      ]);
      expect(dev.verdict).toBe('PASS_WITH_WARNINGS');
      expect(dev.warnings).toEqual([
        'auth-session held by task BUG-9 (bugfix, lane C-ops): open bug (a warning on dev: it blocks the release stages)',
        `run #${warned}: plain HTTP allowed for auth`,
      ]);
    } finally {
      await store.close();
      await writer.close();
    }
  });

  test('the values a filter can match, each once, in byte order: what a misspelt filter is told it meant', async ({
    openTestStore,
    storeLocation,
  }, testInfo) => {
    await seedDashboard(openTestStore, testInfo.outputPath('runs'));
    const store = await openStoreReadOnly(storeLocation);
    try {
      expect(await store.dashboard.filterValues('runs')).toEqual({
        environment: ['demo', 'local'],
        pack: [...PACKS],
        task: expect.arrayContaining(['BUG-1', 'T-READY']),
        lane: [],
      });
      const tasks = await store.dashboard.filterValues('tasks');
      expect(tasks).toEqual({ environment: ['demo', 'local'], pack: [...PACKS], task: [], lane: ['A-web', 'C-ops'] });
    } finally {
      await store.close();
    }
  });
});

function at(minute: number): string {
  return new Date(Date.parse('2026-11-20T10:00:00Z') + minute * 60_000).toISOString();
}

/** A release-gate run on dev, started `minute` minutes in, with these packs' statuses (a FAIL blocks). */
async function recordRun(
  store: QueueStore,
  minute: number,
  statuses: Record<string, PackStatus>,
  environment = 'dev-env',
  judged: Partial<Pick<NewGateRun, 'stage' | 'verdict' | 'problems'>> = {},
) {
  const packs = Object.entries(statuses).map(([pack, status]) => ({
    pack,
    status,
    policy: 'blocking' as const,
    blocks: status === 'FAIL',
    reason: `judged ${status}`,
  }));
  return store.recordGateRun({
    subjectDigest: null,
    taskId: null,
    environment,
    stage: 'dev',
    verdict: packs.some(p => p.blocks) ? 'BLOCKED' : 'PASS',
    gitCommit: 'abc123',
    gitDirty: false,
    command: 'npx playwright test',
    projects: ['dev-env-api'],
    startedAt: at(minute),
    durationMs: 1_000,
    recordedBy: 'test',
    verdictDigest: '0'.repeat(64),
    problems: [],
    packs,
    evidence: [],
    ...judged,
  });
}
