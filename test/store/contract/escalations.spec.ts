import type { NewEscalation } from '../../../src/store/escalation-schema.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { readyTask, session } from './helpers.ts';

function escalation(overrides: Partial<NewEscalation> = {}): NewEscalation {
  return {
    taskId: 'T-1',
    reason: 'drift rule 2: src/core.ts (must_not_touch src/**)',
    crossed: [{ path: 'src/core.ts', kind: 'must-not-touch', boundary: 'must_not_touch src/**', lane: 'lane-b' }],
    paths: ['docs/a.md', 'src/core.ts'],
    base: 'abc123',
    head: 'def456',
    stopConditions: ['the work needs a change under must_not_touch: stop'],
    createdBy: 'agent-s1',
    ...overrides,
  };
}

forEachAdapter(() => {
  test('an escalation is recorded with the move to escalated, its hold released and an event pointing at it', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.claim('T-1', { session: session('s1'), actor: 'agent-s1', reason: 'go' });
    const { escalation: raised, transition } = await store.escalate(escalation());
    expect(raised).toMatchObject({ ...escalation(), id: expect.any(Number), moved: true });
    expect(transition).toMatchObject({ from: 'in_progress', to: 'escalated', reason: escalation().reason });
    expect(await store.requireTask('T-1')).toMatchObject({ state: 'escalated', holder: null });
    expect(await store.escalations('T-1')).toEqual([raised]);
    expect((await store.events('T-1', 'escalation')).map(e => e.body)).toEqual([
      {
        escalation: raised.id,
        files: [{ path: 'src/core.ts', kind: 'must-not-touch', boundary: 'must_not_touch src/**' }],
      },
    ]);
    expect(await store.stats()).toMatchObject({ escalations: 1 });
  });

  test('a task that cannot move to escalated keeps its state; the record says so', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    const { escalation: raised, transition } = await store.escalate(escalation({ head: null }));
    expect(transition).toBeNull();
    expect(raised.moved).toBe(false);
    expect((await store.requireTask('T-1')).state).toBe('ready');
    expect(await store.escalations('T-1')).toEqual([raised]);
    expect((await store.events('T-1', 'escalation'))[0].body).toMatchObject({ reason: escalation().reason });
  });

  test('a watcher escalates without crossings, to a lane, with its details; drift never does without one', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.claim('T-1', { session: session('s1'), actor: 'agent-s1', reason: 'go' });
    await expect(store.escalate(escalation({ crossed: [] }))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect(await store.stats()).toMatchObject({ escalations: 0 });

    const { escalation: raised } = await store.escalate({
      taskId: 'T-1',
      source: 'watch',
      to: 'lane-b',
      reason: 'auth failure twice in a row',
      details: { rule: 'auth-twice', closeouts: [1, 2] },
      paths: [],
      base: null,
      head: null,
      stopConditions: [],
      createdBy: 'watcher',
    });
    expect(raised).toMatchObject({ source: 'watch', to: 'lane-b', crossed: [], moved: true });
    expect(await store.escalations('T-1')).toEqual([raised]);
    expect(await store.escalations('T-1')).toEqual([
      expect.objectContaining({ details: { rule: 'auth-twice', closeouts: [1, 2] } }),
    ]);
    expect((await store.events('T-1', 'escalation'))[0].body).toEqual({
      escalation: raised.id,
      source: 'watch',
      reason: 'auth failure twice in a row',
      to: 'lane-b',
    });
  });

  test('an escalation of an unknown task is refused and nothing is written', async ({ openTestStore }) => {
    const store = await openTestStore();
    await expect(store.escalate(escalation({ taskId: 'GHOST' }))).rejects.toMatchObject({ code: 'TASK_UNKNOWN' });
    expect(await store.stats()).toMatchObject({ escalations: 0, events: 0 });
  });

  test('secrets never stored: an escalation is redacted on the way in', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.escalate(escalation({ stopConditions: ['the callback leaked ?code=s3cr3tc0de'] }));
    const [stored] = await store.escalations('T-1');
    expect(stored.stopConditions).toEqual(['the callback leaked ?code=[REDACTED]']);
  });
});
