import { expect, forEachAdapter, test } from '../fixtures.ts';
import { readyTask } from './helpers.ts';

forEachAdapter(() => {
  // Before: PostgreSQL's second close threw "Called end on pool more than once" (a dashboard closing
  // the store on SIGINT and again on exit); SQLite's did not.
  test('closing a store twice, or twice at once, is harmless', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await Promise.all([store.close(), store.close()]);
    await expect(store.close()).resolves.toBeUndefined();
  });
});
