import { expect, forEachAdapter, test } from '../fixtures.ts';
import { readyTask } from '../contract/helpers.ts';
import { spawnWriter } from './spawn-writer.ts';

const TASKS = 40;
const SESSIONS = 4;

forEachAdapter(() => {
  test(`${SESSIONS} session processes racing for ${TASKS} tasks: each task has exactly one winner`, async ({
    openTestStore,
    storeLocation,
  }) => {
    const setup = await openTestStore();
    const ids = Array.from({ length: TASKS }, (_, i) => `RACE-${i}`);
    for (const id of ids) await readyTask(setup, id);

    // Half the sessions go in order, half in reverse, so every task is contested from both sides.
    const writers = Array.from({ length: SESSIONS }, (_, s) =>
      spawnWriter(storeLocation, ['claim', `session-${s}`, (s % 2 ? [...ids].reverse() : ids).join(',')]),
    );
    await Promise.all(writers.map(w => w.ready));
    for (const writer of writers) writer.go();
    const results = await Promise.all(writers.map(w => w.result<{ won: string[]; lost: string[] }>()));

    const winners = new Map<string, string[]>();
    results.forEach((result, s) => {
      expect(result.won.length + result.lost.length).toBe(TASKS);
      for (const id of result.won) winners.set(id, [...(winners.get(id) ?? []), `session-${s}`]);
    });
    expect(ids.filter(id => winners.get(id)?.length !== 1)).toEqual([]);

    const store = await openTestStore();
    for (const id of ids) {
      const task = await store.requireTask(id);
      expect(task.holder?.session).toBe(winners.get(id)![0]);
      expect((await store.transitions(id)).filter(t => t.to === 'in_progress')).toHaveLength(1);
    }
  });
});
