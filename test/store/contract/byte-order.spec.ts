import type { QueueStore } from '../../../src/store/queue-store.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { gateRun } from './helpers.ts';

/**
 * The store's reads that list text (ids, packs, paths, checks) give it in byte order on both
 * adapters, as SQLite compares, also on a PostgreSQL database whose collation is a locale's: ICU's
 * root orders these a_b, a-b, aB, Z (case and punctuation second); bytes give Z, a-b, aB, a_b.
 * The dashboard's own reads are held to it in dashboard-reads.spec.ts.
 */
const NAMES = ['a_b', 'aB', 'a-b', 'Z'];
const BYTES = ['Z', 'a-b', 'aB', 'a_b'];
const AT = '2026-01-01T00:00:00.000Z';

forEachAdapter(() => {
  test.describe("on a PostgreSQL database whose collation is a locale's", () => {
    // What a server set up with en_US would order by; SQLite and a C database compare bytes.
    test.use({ icuLocale: 'und' });

    test('tasks created at one time are listed by id in byte order: the task list, next tasks, queue health, dependencies', async ({
      openTestStore,
    }) => {
      const store = await openTestStore();
      await importReady(store, [...NAMES, 'waiting']);
      await store.addDependencies('waiting', NAMES, 'test');
      // Before, on PostgreSQL: a_b, a-b, aB, Z, then waiting (which waits on them).
      expect((await store.listTasks()).map(t => t.id)).toEqual([...BYTES, 'waiting']);
      expect((await store.nextTasks()).map(t => t.id)).toEqual(BYTES);
      expect((await store.queueSnapshot()).tasks.map(t => t.id)).toEqual([...BYTES, 'waiting']);
      expect((await store.requireTask('waiting')).dependsOn).toEqual(BYTES);
    });

    test("sessions started at one time are listed by id, each session's holds by task id, stale holds released in that order", async ({
      openTestStore,
    }) => {
      const now = new Date(AT);
      const store = await openTestStore({ now: () => now });
      await importReady(store, [...NAMES, ...NAMES.map(name => `held-${name}`)]);
      for (const [pid, name] of NAMES.entries()) {
        const session = { id: name, actor: 'agent', host: 'host', pid };
        await store.claim(name, { session, actor: 'agent', reason: 'go' });
        // Its second hold: the session's holds are then listed by their task ids.
        if (name === 'Z')
          for (const held of NAMES) await store.claim(`held-${held}`, { session, actor: 'agent', reason: 'go' });
      }
      const sessions = await store.sessions();
      expect(sessions.map(s => s.id)).toEqual(BYTES);
      expect(sessions[0].holds).toEqual(['Z', ...BYTES.map(id => `held-${id}`)]);
      expect((await store.heartbeat('Z')).holds).toEqual(['Z', ...BYTES.map(id => `held-${id}`)]);
      await expect(store.endSession('Z')).rejects.toThrow(
        `session Z still holds ${['Z', ...BYTES.map(id => `held-${id}`)].join(', ')}: it cannot end`,
      );
      // Two hours on, every hold is stale.
      now.setTime(now.getTime() + 2 * 3_600_000);
      const released = await store.releaseStale('test');
      expect(released.map(r => r.taskId)).toEqual([...BYTES, ...BYTES.map(id => `held-${id}`)]);
    });

    test("a run's packs and evidence paths are read in byte order; the latest manual verdicts by pack and check", async ({
      openTestStore,
    }) => {
      const store = await openTestStore();
      const evidence = [];
      for (const name of NAMES) {
        const { digest, size } = await store.blobs.put(Buffer.from(name));
        evidence.push({ path: `evidence/${name}.json`, pack: name, digest, size });
      }
      const { run } = await store.recordGateRun(
        gateRun({
          packs: NAMES.map(pack => ({ pack, status: 'PASS', policy: 'blocking', blocks: false, reason: 'passed' })),
          evidence,
        }),
      );
      // Before, on PostgreSQL: a_b, a-b, aB, Z.
      expect(run.packs.map(p => p.pack)).toEqual(BYTES);
      expect(run.evidence.map(e => e.path)).toEqual(BYTES.map(name => `evidence/${name}.json`));
      expect((await store.dashboard.gateRun(run.id))?.packs.map(p => p.pack)).toEqual(BYTES);

      for (const pack of NAMES)
        for (const check of NAMES)
          await store.recordManualVerdict({
            pack,
            environment: 'staging',
            check,
            result: 'pass',
            note: null,
            lane: 'C-ops',
            source: 'record',
            evidence: [],
            validForMs: 86_400_000,
            recordedBy: 'alice',
          });
      const verdicts = await store.manualVerdicts({ environment: 'staging' });
      expect(verdicts.map(v => `${v.pack} ${v.check}`)).toEqual(
        BYTES.flatMap(pack => BYTES.map(check => `${pack} ${check}`)),
      );
    });
  });
});

/** Ready tasks of these ids, all created at one time (so their order is their ids'), with no lane. */
async function importReady(store: QueueStore, ids: string[]): Promise<void> {
  await store.importTasks(
    ids.map(id => ({
      id,
      title: id,
      state: 'ready' as const,
      kind: 'feature' as const,
      ownerLane: null,
      trackId: null,
      createdAt: AT,
      // A packet, since a task without one cannot be claimed.
      packet: { task_id: id },
      packetDigest: `digest-${id}`,
      legacyReason: null,
      dependsOn: [],
      events: [],
    })),
    'test',
  );
}
