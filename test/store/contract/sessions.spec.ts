import os from 'node:os';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { readyTask, session, tickingClock } from './helpers.ts';

forEachAdapter(() => {
  test('a claim moves the task to in_progress, held by the session, with its workspace', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    const move = await store.claim('T-1', {
      session: session('s1'),
      actor: 'agent-s1',
      reason: 'started',
      worktree: '/w/T-1',
      branch: 'task/T-1',
      base: 'abc',
    });
    expect(move).toMatchObject({ from: 'ready', to: 'in_progress', actor: 'agent-s1', reason: 'started' });
    const task = await store.requireTask('T-1');
    expect(task).toMatchObject({ state: 'in_progress', holder: { session: 's1', stale: false } });
    expect(task.workspace).toEqual({ worktree: '/w/T-1', branch: 'task/T-1', base: 'abc' });
    expect((await store.sessions()).map(s => [s.id, s.holds])).toEqual([['s1', ['T-1']]]);
    expect((await store.listTasks({ heldBy: 's1' })).map(t => t.id)).toEqual(['T-1']);
  });

  test('two sessions claiming one task: exactly one wins', async ({ openTestStore }) => {
    const first = await openTestStore();
    const second = await openTestStore();
    await readyTask(first, 'T-1');
    const results = await Promise.allSettled([
      first.claim('T-1', { session: session('s1'), actor: 'a', reason: 'go' }),
      second.claim('T-1', { session: session('s2'), actor: 'b', reason: 'go' }),
    ]);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find(r => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'TASK_HELD' });
    expect((await first.transitions('T-1')).filter(t => t.to === 'in_progress')).toHaveLength(1);
  });

  test('a held task cannot be released by another live session, but can by its own', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.claim('T-1', { session: session('s1'), actor: 'a', reason: 'go' });
    await store.registerSession(session('s2'));
    await expect(
      store.release('T-1', { session: 's2', to: 'ready', actor: 'b', reason: 'mine now' }),
    ).rejects.toMatchObject({
      code: 'TASK_HELD',
      message: expect.stringContaining('task T-1 is held by session s1'),
    });
    await store.release('T-1', { session: 's1', to: 'parked', actor: 'a', reason: 'off for the day' });
    const task = await store.requireTask('T-1');
    expect(task).toMatchObject({ state: 'parked', holder: null, workspace: null });
    expect((await store.events('T-1', 'release')).map(e => e.body)).toEqual([
      { session: 's1', to: 'parked', reason: 'off for the day' },
    ]);
  });

  test('leaving in_progress by any move releases the hold', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.claim('T-1', { session: session('s1'), actor: 'a', reason: 'go' });
    await store.transition('T-1', { to: 'escalated', actor: 'a', reason: 'needs the auth lane' });
    expect(await store.stats()).toMatchObject({ holds: 0 });
    await store.claim('T-1', { session: session('s2'), actor: 'b', reason: 'resumed after escalation' });
    expect((await store.requireTask('T-1')).holder?.session).toBe('s2');
  });

  test('a hold without heartbeats goes stale, shows as stale and is released', async ({ openTestStore }) => {
    const clock = tickingClock();
    const store = await openTestStore({ now: clock.now, staleAfterMs: 60_000 });
    await readyTask(store, 'T-1');
    await readyTask(store, 'T-2');
    await store.claim('T-1', { session: session('quiet'), actor: 'a', reason: 'go' });
    await store.claim('T-2', { session: session('alive'), actor: 'b', reason: 'go' });
    clock.advance(45_000);
    await store.heartbeat('alive');
    clock.advance(30_000);
    expect((await store.listTasks({ stale: true })).map(t => t.id)).toEqual(['T-1']);
    expect((await store.sessions()).map(s => [s.id, s.stale])).toEqual([
      ['quiet', true],
      ['alive', false],
    ]);
    const released = await store.releaseStale('reaper');
    expect(released.map(r => [r.taskId, r.session])).toEqual([['T-1', 'quiet']]);
    const last = (await store.transitions('T-1')).at(-1)!;
    expect(last).toMatchObject({ from: 'in_progress', to: 'ready', actor: 'reaper' });
    expect(last.reason).toContain('hold of session quiet released: no heartbeat since');
    expect((await store.requireTask('T-2')).holder?.session).toBe('alive');
  });

  test('claiming a task whose hold is stale releases that hold first, on the record', async ({ openTestStore }) => {
    const clock = tickingClock();
    const store = await openTestStore({ now: clock.now, staleAfterMs: 60_000 });
    await readyTask(store, 'T-1');
    await store.claim('T-1', { session: session('gone'), actor: 'a', reason: 'go' });
    clock.advance(120_000);
    await store.claim('T-1', { session: session('new'), actor: 'b', reason: 'take over' });
    expect((await store.transitions('T-1')).map(t => [t.from, t.to, t.actor])).toEqual([
      [null, 'ready', 'tester'],
      ['ready', 'in_progress', 'a'],
      ['in_progress', 'ready', 'packgate'],
      ['ready', 'in_progress', 'b'],
    ]);
  });

  test('a heartbeat from an unknown session is refused', async ({ openTestStore }) => {
    const store = await openTestStore();
    await expect(store.heartbeat('ghost')).rejects.toMatchObject({ code: 'SESSION_UNKNOWN' });
  });

  test('a task without a packet cannot be claimed', async ({ openTestStore }) => {
    const store = await openTestStore();
    await store.createTask({ id: 'T-1', title: 'idea' }, 'ada');
    await expect(store.claim('T-1', { session: session('s1'), actor: 'a', reason: 'go' })).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
    });
    expect(await store.stats()).toMatchObject({ holds: 0, sessions: 0 });
  });
});

forEachAdapter(() => {
  test('a claim is recorded as an event with its session and workspace', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.claim('T-1', { session: session('s1'), actor: 'agent-s1', reason: 'go', worktree: '/w/T-1' });
    expect((await store.events('T-1', 'claim')).map(e => [e.actor, e.body])).toEqual([
      ['agent-s1', { session: 's1', worktree: '/w/T-1', branch: null, base: null }],
    ]);
  });

  test('a session claiming a task it already holds is told so', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.claim('T-1', { session: session('s1'), actor: 'a', reason: 'go' });
    await expect(store.claim('T-1', { session: session('s1'), actor: 'a', reason: 'again' })).rejects.toMatchObject({
      code: 'TASK_HELD',
      message: 'task T-1 is already held by your session s1\n  hint: carry on in its worktree',
    });
    await expect(store.claim('T-1', { session: session('s2'), actor: 'b', reason: 'mine' })).rejects.toMatchObject({
      code: 'TASK_HELD',
      message: expect.stringMatching(/^task T-1 is held by session s1 since \S+ \(last heartbeat \S+\)\n {2}hint: /),
    });
  });

  test('releasing a task nobody holds is illegal', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await expect(store.release('T-1', { session: 's1', to: 'parked', actor: 'a', reason: 'x' })).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
      message: 'task T-1 is ready: no session holds it',
    });
    await expect(store.release('GHOST', { to: 'ready', actor: 'a', reason: 'x' })).rejects.toMatchObject({
      code: 'TASK_UNKNOWN',
    });
  });

  test("another session's hold is released with force, or once it is stale", async ({ openTestStore }) => {
    const clock = tickingClock();
    const store = await openTestStore({ now: clock.now, staleAfterMs: 60_000 });
    await readyTask(store, 'T-1');
    await readyTask(store, 'T-2');
    await store.claim('T-1', { session: session('s1'), actor: 'a', reason: 'go' });
    await store.claim('T-2', { session: session('s1'), actor: 'a', reason: 'go' });
    await store.release('T-1', { session: 's2', force: true, to: 'blocked', actor: 'lead', reason: 'wrong approach' });
    expect(await store.requireTask('T-1')).toMatchObject({ state: 'blocked', holder: null });
    clock.advance(120_000);
    await store.release('T-2', { to: 'ready', actor: 'lead', reason: 'abandoned' });
    expect((await store.events('T-2', 'release')).map(e => [e.actor, e.body])).toEqual([
      ['lead', { session: 's1', to: 'ready', reason: 'abandoned' }],
    ]);
    expect((await store.sessions()).map(s => [s.id, s.holds])).toEqual([['s1', []]]);
  });

  test('registering a session again refreshes its heartbeat and keeps the rest', async ({ openTestStore }) => {
    const store = await openTestStore(tickingClock());
    const first = await store.registerSession({ id: 's1', actor: 'agent', host: '', pid: null });
    expect(first).toMatchObject({ id: 's1', actor: 'agent', host: os.hostname(), pid: null, holds: [], stale: false });
    expect(first.heartbeatAt).toBe(first.startedAt);
    const again = await store.registerSession({ id: 's1', actor: 'someone else', host: 'elsewhere', pid: 7 });
    expect(again).toMatchObject({ actor: 'agent', host: os.hostname(), pid: null, startedAt: first.startedAt });
    expect(again.heartbeatAt > first.heartbeatAt).toBe(true);
    const beat = await store.heartbeat('s1');
    expect(beat.heartbeatAt > again.heartbeatAt).toBe(true);
  });

  test('an ended session leaves the registry; one that holds a task, or is not there, is refused', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.claim('T-1', { session: session('s1'), actor: 'a', reason: 'go' });
    await store.registerSession(session('s2'));
    await expect(store.endSession('s1')).rejects.toMatchObject({
      code: 'TASK_HELD',
      message: expect.stringContaining('session s1 still holds T-1: it cannot end'),
    });
    await store.endSession('s2');
    expect((await store.sessions()).map(s => s.id)).toEqual(['s1']);
    await expect(store.endSession('s2')).rejects.toMatchObject({ code: 'SESSION_UNKNOWN' });
    await expect(store.heartbeat('s2')).rejects.toMatchObject({ code: 'SESSION_UNKNOWN' });
  });
});
