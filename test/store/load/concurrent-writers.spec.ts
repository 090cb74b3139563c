import { expect, forEachAdapter, test } from '../fixtures.ts';
import { spawnWriter } from './spawn-writer.ts';

const PROCESSES = 8;
const WRITES = 1000;

forEachAdapter(() => {
  test(`${PROCESSES} processes x ${WRITES} writes leave exactly ${PROCESSES * WRITES} whole records`, async ({
    openTestStore,
    storeLocation,
  }) => {
    test.setTimeout(120_000);
    // Created before the writers start, so they race on writes, not on creating the schema.
    await openTestStore();
    const writers = Array.from({ length: PROCESSES }, (_, p) =>
      spawnWriter(storeLocation, ['create', `P${p}`, String(WRITES)]),
    );
    await Promise.all(writers.map(w => w.ready));
    for (const writer of writers) writer.go();
    const results = await Promise.all(writers.map(w => w.result<{ created: number }>()));
    expect(results).toEqual(Array.from({ length: PROCESSES }, () => ({ created: WRITES })));

    const store = await openTestStore();
    expect(await store.stats()).toMatchObject({ tasks: PROCESSES * WRITES, transitions: PROCESSES * WRITES });
    const ids = new Set((await store.listTasks()).map(t => t.id));
    const expected = Array.from({ length: PROCESSES }, (_, p) =>
      Array.from({ length: WRITES }, (_, i) => `P${p}-${i}`),
    ).flat();
    expect(ids.size).toBe(expected.length);
    expect(expected.filter(id => !ids.has(id))).toEqual([]);
  });
});
