import Database from 'better-sqlite3';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { CHURN_PACKS, spawnWriter } from './spawn-writer.ts';

const ROUNDS = 5;

forEachAdapter(() => {
  test(`kill -9 at random points mid-write, ${ROUNDS} times: every record whole or absent, the store readable`, async ({
    openTestStore,
    storeLocation,
  }) => {
    test.setTimeout(120_000);
    await (await openTestStore()).close();
    for (let round = 0; round < ROUNDS; round++) {
      const writer = spawnWriter(storeLocation, ['churn', `R${round}`]);
      await writer.ready;
      writer.go();
      await new Promise(resolve => setTimeout(resolve, 150 + Math.floor(Math.random() * 400)));
      writer.child.kill('SIGKILL');
      expect((await writer.exited).signal).toBe('SIGKILL');
    }

    if (storeLocation.kind === 'sqlite') {
      const db = new Database(storeLocation.path, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    const store = await openTestStore();
    const tasks = await store.listTasks();
    expect(tasks.length).toBeGreaterThan(0);
    const transitions = await Promise.all(tasks.map(t => store.transitions(t.id)));
    expect(transitions.filter(list => list.length !== 1).length).toBe(0);
    const runs = await store.gateRuns();
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.packs).toHaveLength(CHURN_PACKS);
      expect(run.evidence).toHaveLength(CHURN_PACKS);
      for (const file of run.evidence) expect(await store.blobs.verify(file.digest)).toEqual({ status: 'ok' });
    }
    // Still writable after all that.
    await store.createTask({ id: 'AFTER', title: 'after the kills' }, 'tester');
    expect((await store.requireTask('AFTER')).state).toBe('proposed');
  });
});
