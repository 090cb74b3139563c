import { expect, forEachAdapter, test } from '../fixtures.ts';
import { readyTask, session, tickingClock } from './helpers.ts';

forEachAdapter(() => {
  test('next lists ready tasks whose dependencies are all done', async ({ openTestStore }) => {
    const store = await openTestStore(tickingClock());
    for (const id of ['BASE', 'MIDDLE', 'TOP', 'FREE']) await readyTask(store, id);
    await store.addDependencies('MIDDLE', ['BASE'], 'ada');
    await store.addDependencies('TOP', ['MIDDLE', 'BASE'], 'ada');
    expect((await store.nextTasks()).map(t => t.id)).toEqual(['BASE', 'FREE']);
    expect((await store.requireTask('TOP')).dependsOn).toEqual(['BASE', 'MIDDLE']);

    await store.claim('BASE', { session: session('s1'), actor: 'ada', reason: 'start' });
    await store.transition('BASE', { to: 'in_review', actor: 'ada', reason: 'handed off' });
    await store.transition('BASE', { to: 'done', actor: 'rev', reason: 'accepted' });
    expect((await store.nextTasks()).map(t => t.id)).toEqual(['MIDDLE', 'FREE']);
    expect((await store.nextTasks({ lane: 'lane-b' })).map(t => t.id)).toEqual([]);
  });

  test('a dependency that closes a cycle is refused with the cycle named', async ({ openTestStore }) => {
    const store = await openTestStore();
    for (const id of ['A', 'B', 'C']) await readyTask(store, id);
    await store.addDependencies('A', ['B'], 'ada');
    await store.addDependencies('B', ['C'], 'ada');
    await expect(store.addDependencies('C', ['A'], 'ada')).rejects.toMatchObject({
      code: 'DEPENDENCY_CYCLE',
      message: expect.stringContaining('task C cannot depend on A: that would close a cycle C -> A -> B -> C'),
    });
    await expect(store.addDependencies('A', ['A'], 'ada')).rejects.toMatchObject({ code: 'DEPENDENCY_CYCLE' });
    expect((await store.requireTask('C')).dependsOn).toEqual([]);
  });

  test('a refused edge leaves the edges before it in the same call unwritten', async ({ openTestStore }) => {
    const store = await openTestStore();
    for (const id of ['A', 'B', 'C']) await readyTask(store, id);
    await store.addDependencies('B', ['A'], 'ada');
    await expect(store.addDependencies('A', ['C', 'B'], 'ada')).rejects.toMatchObject({ code: 'DEPENDENCY_CYCLE' });
    expect((await store.requireTask('A')).dependsOn).toEqual([]);
  });

  test('a dependency on an unknown task is refused', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'A');
    await expect(store.addDependencies('A', ['GHOST'], 'ada')).rejects.toMatchObject({
      code: 'TASK_UNKNOWN',
      message: expect.stringContaining('no task GHOST'),
    });
  });

  test('adding an existing dependency again is a no-op', async ({ openTestStore }) => {
    const store = await openTestStore();
    for (const id of ['A', 'B']) await readyTask(store, id);
    await store.addDependencies('A', ['B'], 'ada');
    await store.addDependencies('A', ['B'], 'ada');
    expect((await store.requireTask('A')).dependsOn).toEqual(['B']);
  });
});

forEachAdapter(() => {
  test('each new edge is noted on the task that depends, once', async ({ openTestStore }) => {
    const store = await openTestStore();
    for (const id of ['A', 'B', 'C']) await readyTask(store, id);
    await store.addDependencies('A', ['B', 'C'], 'ada');
    await store.addDependencies('A', ['B'], 'bob');
    expect((await store.events('A', 'note')).map(e => [e.actor, e.body])).toEqual([
      ['ada', { dependsOn: 'B' }],
      ['ada', { dependsOn: 'C' }],
    ]);
    expect(await store.events('B')).toEqual([]);
  });
});
