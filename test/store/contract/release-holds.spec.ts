import { expect, forEachAdapter, test } from '../fixtures.ts';
import { readyTask } from './helpers.ts';

const hold = { taskId: 'BUG-1', pack: 'auth-session', reason: 'an open bug fix', createdBy: 'tester' };

forEachAdapter(() => {
  test('a hold opens once per task and pack, with its task, and an event', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'BUG-1', 'C-ops', 'bugfix');
    const opened = await store.openReleaseHold(hold);
    expect(await store.openReleaseHold({ ...hold, reason: 'again' })).toEqual(opened);
    const [view] = await store.releaseHolds({ activeOnly: true });
    expect(view).toMatchObject({
      ...opened,
      active: true,
      task: { title: 'goal of BUG-1', state: 'ready', kind: 'bugfix', ownerLane: 'C-ops' },
    });
    expect((await store.requireTask('BUG-1')).kind).toBe('bugfix');
    expect((await store.events('BUG-1', 'release-hold')).map(e => e.body)).toEqual([
      { hold: opened.id, action: 'opened', pack: 'auth-session', reason: 'an open bug fix' },
    ]);
    expect(await store.stats()).toMatchObject({ releaseHolds: 1 });
  });

  test('accepted coverage clears a hold for good; a task without one is refused', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'BUG-1', 'C-ops', 'bugfix');
    await readyTask(store, 'OTHER', 'C-ops');
    await store.openReleaseHold(hold);
    await store.clearReleaseHolds('BUG-1', { as: 'coverage', actor: 'reviewer', reason: 'review #1 accepted' });
    expect(await store.releaseHolds({ activeOnly: true })).toEqual([]);
    expect(await store.releaseHolds({ taskId: 'BUG-1' })).toMatchObject([
      { clearedAs: 'coverage', clearedBy: 'reviewer', clearReason: 'review #1 accepted', active: false },
    ]);
    await expect(
      store.clearReleaseHolds('OTHER', { as: 'coverage', actor: 'reviewer', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'NO_RELEASE_HOLD' });
    await expect(
      store.clearReleaseHolds('BUG-1', { as: 'risk', actor: 'c', reason: 'x', expiresAt: '2030-01-01T00:00:00.000Z' }),
    ).rejects.toMatchObject({ code: 'NO_RELEASE_HOLD' });
  });

  test('an accepted risk clears a hold until its expiry, then it holds again', async ({ openTestStore }) => {
    let now = new Date('2026-12-05T12:00:00Z');
    const store = await openTestStore({ now: () => now });
    await readyTask(store, 'BUG-1', 'C-ops', 'bugfix');
    await store.openReleaseHold(hold);
    await store.clearReleaseHolds('BUG-1', {
      as: 'risk',
      actor: 'coordinator',
      reason: 'demo only, fixed next sprint',
      expiresAt: '2026-12-10T00:00:00.000Z',
    });
    expect(await store.releaseHolds({ activeOnly: true })).toEqual([]);
    now = new Date('2026-12-10T00:00:00Z');
    expect(await store.releaseHolds({ activeOnly: true })).toMatchObject([
      { taskId: 'BUG-1', clearedAs: 'risk', riskExpiresAt: '2026-12-10T00:00:00.000Z', active: true },
    ]);
    expect((await store.events('BUG-1', 'release-hold')).map(e => e.body.action)).toEqual(['opened', 'risk-accepted']);
  });
});
