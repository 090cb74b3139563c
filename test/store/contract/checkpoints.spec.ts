import type { NewCheckpoint } from '../../../src/store/checkpoint-schema.ts';
import type { ImportedTask } from '../../../src/store/task-import-repository.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { gateRun, packetFor, readyTask, session, tickingClock } from './helpers.ts';

function checkpoint(overrides: Partial<NewCheckpoint> = {}): NewCheckpoint {
  return {
    taskId: 'T-1',
    originalGoal: 'goal of T-1',
    goalChanged: false,
    currentTrack: 'track-1: the login form',
    whatChanged: 'the form posts to the new endpoint',
    driftDiscovered: 'none',
    blockedOn: 'nothing',
    nextActions: ['wire the callback', 'record a gate run'],
    decision: 'continue',
    outcome: { movedTo: null, splitInto: [], escalatedTo: null },
    createdBy: 'coordinator',
    ...overrides,
  };
}

function imported(overrides: Partial<ImportedTask> & { id: string }): ImportedTask {
  return {
    title: `old ${overrides.id}`,
    state: 'done',
    kind: 'feature',
    ownerLane: 'lane-a',
    trackId: null,
    createdAt: '2025-06-01T00:00:00.000Z',
    packet: null,
    packetDigest: null,
    legacyReason: null,
    dependsOn: [],
    events: [],
    ...overrides,
  };
}

forEachAdapter(() => {
  test('a checkpoint is recorded with its seven fields, the outcome, and an event pointing at it', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    const recorded = await store.recordCheckpoint(checkpoint({ goalChanged: true, originalGoal: 'a new goal' }));
    expect(recorded).toMatchObject({
      ...checkpoint({ goalChanged: true, originalGoal: 'a new goal' }),
      id: expect.any(Number),
      number: 1,
    });
    expect(await store.checkpoints('T-1')).toEqual([recorded]);
    expect((await store.events('T-1', 'checkpoint')).map(e => e.body)).toEqual([
      { checkpoint: recorded.id, decision: 'continue', goalChanged: true },
    ]);
    expect(await store.stats()).toMatchObject({ checkpoints: 1 });

    await expect(store.recordCheckpoint(checkpoint({ taskId: 'NOPE' }))).rejects.toMatchObject({
      code: 'TASK_UNKNOWN',
    });
    await expect(store.recordCheckpoint(checkpoint({ nextActions: ['a', 'b', 'c', 'd'] }))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(await store.stats()).toMatchObject({ checkpoints: 1 });
  });

  test('import keeps dates, states and events, all or nothing; legacy marks show on the task', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await expect(
      store.importTasks([imported({ id: 'OLD-1' }), imported({ id: 'T-1' })], 'importer'),
    ).rejects.toMatchObject({
      code: 'TASK_EXISTS',
      message: expect.stringContaining(
        '1 of the 2 tasks to import is already in the store; nothing imported:\n  T-1\n',
      ),
    });
    expect(await store.getTask('OLD-1')).toBeUndefined();

    const count = await store.importTasks(
      [
        imported({ id: 'OLD-1', legacyReason: 'from the old tracker' }),
        imported({
          id: 'OLD-2',
          state: 'in_review',
          events: [{ kind: 'handoff', at: '2025-06-02T00:00:00.000Z', body: { files: [] } }],
        }),
      ],
      'importer',
    );
    expect(count).toBe(2);

    // Dependencies: on a stored task or one of the same import; one on a missing task refuses the lot.
    await expect(store.importTasks([imported({ id: 'DEP-1', dependsOn: ['NOPE'] })], 'importer')).rejects.toMatchObject(
      { code: 'TASK_UNKNOWN' },
    );
    expect(await store.getTask('DEP-1')).toBeUndefined();
    await store.importTasks(
      [imported({ id: 'DEP-1', dependsOn: ['DEP-2'] }), imported({ id: 'DEP-2', dependsOn: ['T-1'] })],
      'importer',
    );
    expect((await store.requireTask('DEP-1')).dependsOn).toEqual(['DEP-2']);
    expect((await store.requireTask('DEP-2')).dependsOn).toEqual(['T-1']);
    expect(await store.requireTask('OLD-1')).toMatchObject({
      state: 'done',
      createdAt: '2025-06-01T00:00:00.000Z',
      legacyReason: 'from the old tracker',
      hasPacket: false,
    });
    expect(await store.transitions('OLD-2')).toMatchObject([{ from: null, to: 'in_review', reason: 'imported' }]);
    expect(await store.events('OLD-2', 'handoff')).toMatchObject([{ at: '2025-06-02T00:00:00.000Z' }]);

    await store.markLegacy('T-1', 'before the queue existed', 'coordinator');
    expect((await store.requireTask('T-1')).legacyReason).toBe('before the queue existed');
    await store.markLegacy('T-1', null, 'coordinator');
    expect((await store.requireTask('T-1')).legacyReason).toBeNull();
    // Cleared is an explicit mark: the snapshot says its debt is new, whatever the task's date.
    const debtNew = async () =>
      Object.fromEntries((await store.queueSnapshot()).tasks.map(t => [t.id, t.debtNew] as const));
    expect(await debtNew()).toMatchObject({ 'OLD-1': false, 'OLD-2': false, 'T-1': true });
    await store.markLegacy('T-1', 'legacy after all', 'coordinator');
    expect((await debtNew())['T-1']).toBe(false);
    // A check that refuses, seeing the mark as it stands, leaves the mark and the events as they were.
    const notes = (await store.events('T-1', 'note')).length;
    const refusal = new Error('nothing to clear');
    let seen: unknown;
    await expect(
      store.markLegacy('T-1', null, 'coordinator', mark => {
        seen = mark;
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(seen).toEqual({ createdAt: expect.any(String), legacyReason: 'legacy after all', debtNew: false });
    expect((await store.requireTask('T-1')).legacyReason).toBe('legacy after all');
    expect(await store.events('T-1', 'note')).toHaveLength(notes);
    await expect(store.markLegacy('NOPE', 'x', 'coordinator')).rejects.toMatchObject({ code: 'TASK_UNKNOWN' });
  });

  test('the queue snapshot holds what queue health judges, read in a few queries', async ({ openTestStore }) => {
    const clock = tickingClock();
    const store = await openTestStore({ now: clock.now });
    await readyTask(store, 'T-1');
    await readyTask(store, 'T-2', 'lane-b', 'bugfix');
    await store.claim('T-1', { session: session('s1'), actor: 'agent-s1', reason: 'go' });
    await store.recordCheckpoint(checkpoint());
    await store.claim('T-2', { session: session('s2'), actor: 'agent-s2', reason: 'go' });
    await store.escalate({
      taskId: 'T-2',
      source: 'checkpoint',
      to: 'lane-c',
      reason: 'needs lane-c',
      paths: [],
      base: null,
      head: null,
      stopConditions: [],
      createdBy: 'coordinator',
    });
    await store.setPacket('T-1', { ...packetFor('T-1'), packet: { workflow_regression_pack: 'pack-b' } }, 'tester');
    await store.createTask(
      { id: 'T-3', title: 't', state: 'ready', packet: { workflow_regression_pack: 'pack-a' }, packetDigest: 'd' },
      'tester',
    );
    await store.recordGateRun(gateRun({ taskId: 'T-1' }));
    await store.addEvent('T-1', 'handoff', { files: [] }, 'agent-s1');
    await store.addEvent('T-1', 'watch', { phase: 'started', run: 'r1', packet: 'W-1', session: 's1' }, 'agent-s1');

    const snapshot = await store.queueSnapshot();
    expect(snapshot.tasks.map(t => [t.id, t.state, t.kind, t.pack])).toEqual([
      ['T-1', 'in_progress', 'feature', 'pack-b'],
      ['T-2', 'escalated', 'bugfix', null],
      ['T-3', 'ready', 'feature', 'pack-a'],
    ]);
    expect(snapshot.eventKinds).toEqual([{ taskId: 'T-1', kind: 'handoff' }]);
    expect(snapshot.gateRunPacks).toEqual([{ taskId: 'T-1', pack: 'pack-a' }]);
    expect(snapshot.watchEvents).toEqual([
      { taskId: 'T-1', body: { phase: 'started', run: 'r1', packet: 'W-1', session: 's1' } },
    ]);
    expect(snapshot.sessions.map(s => s.id).sort()).toEqual(['s1', 's2']);
    const [progress] = snapshot.inProgress;
    expect(progress).toMatchObject({ taskId: 'T-1', lastCheckpoint: expect.any(String) });
    expect(progress.since < progress.lastCheckpoint!).toBe(true);
    expect(snapshot.openEscalations).toMatchObject([{ taskId: 'T-2', source: 'checkpoint', to: 'lane-c' }]);

    // A ready task cannot move to escalated: its escalation waits for a move all the same. A move
    // after an escalation answers it.
    await store.escalate({
      taskId: 'T-3',
      source: 'watch',
      to: 'lane-b',
      reason: 'auth failure twice in a row',
      paths: [],
      base: null,
      head: null,
      stopConditions: [],
      createdBy: 'watcher',
    });
    expect((await store.requireTask('T-3')).state).toBe('ready');
    expect((await store.queueSnapshot()).openEscalations.map(e => e.taskId)).toEqual(['T-2', 'T-3']);
    await store.transition('T-2', { to: 'ready', actor: 'lane-c', reason: 'decided: go on' });
    await store.transition('T-3', { to: 'parked', actor: 'lane-b', reason: 'credentials rotate first' });
    expect((await store.queueSnapshot()).openEscalations).toEqual([]);
  });
});
