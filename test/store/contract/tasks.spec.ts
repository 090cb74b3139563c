import { expect, forEachAdapter, test } from '../fixtures.ts';
import { packetFor, readyTask, tickingClock } from './helpers.ts';

forEachAdapter(() => {
  test('a task is created with its first transition recorded', async ({ openTestStore }) => {
    const store = await openTestStore();
    const task = await store.createTask({ id: 'T-1', title: 'first', ownerLane: 'lane-a' }, 'ada');
    expect(task).toMatchObject({
      id: 'T-1',
      title: 'first',
      state: 'proposed',
      ownerLane: 'lane-a',
      hasPacket: false,
      holder: null,
    });
    const [created] = await store.transitions('T-1');
    expect(created).toMatchObject({ taskId: 'T-1', from: null, to: 'proposed', actor: 'ada', reason: 'created' });
    expect(Date.parse(created.at)).not.toBeNaN();
    expect(await store.requireTask('T-1')).toEqual(task);
  });

  test('a task id is taken once', async ({ openTestStore }) => {
    const store = await openTestStore();
    await store.createTask({ id: 'T-1', title: 'first' }, 'ada');
    await expect(store.createTask({ id: 'T-1', title: 'again' }, 'bob')).rejects.toMatchObject({
      code: 'TASK_EXISTS',
      message: expect.stringContaining('task T-1 already exists'),
    });
    expect(await store.transitions('T-1')).toHaveLength(1);
  });

  test('legal moves are recorded with actor, time and reason, in order', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.transition('T-1', { to: 'parked', actor: 'ada', reason: 'waiting for the demo freeze' });
    await store.transition('T-1', { to: 'ready', actor: 'bob', reason: 'freeze over' });
    const moves = await store.transitions('T-1');
    expect(moves.map(m => [m.from, m.to, m.actor, m.reason])).toEqual([
      [null, 'ready', 'tester', 'created'],
      ['ready', 'parked', 'ada', 'waiting for the demo freeze'],
      ['parked', 'ready', 'bob', 'freeze over'],
    ]);
    expect((await store.requireTask('T-1')).state).toBe('ready');
  });

  test('an illegal move is refused, names the legal ones and changes nothing', async ({ openTestStore }) => {
    const store = await openTestStore();
    await store.createTask({ id: 'T-1', title: 'first' }, 'ada');
    await expect(store.transition('T-1', { to: 'done', actor: 'ada', reason: 'skip it all' })).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
      message:
        'task T-1 cannot move from proposed to done\n  hint: from proposed a task can move to: ready, parked, blocked',
    });
    expect((await store.requireTask('T-1')).state).toBe('proposed');
    expect(await store.transitions('T-1')).toHaveLength(1);
  });

  test('ready needs a packet; attaching one records a packet event', async ({ openTestStore }) => {
    const store = await openTestStore();
    await store.createTask({ id: 'T-1', title: 'first' }, 'ada');
    await expect(store.transition('T-1', { to: 'ready', actor: 'ada', reason: 'go' })).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
      message: expect.stringContaining('task T-1 cannot be ready without a packet'),
    });
    await store.setPacket('T-1', packetFor('T-1'), 'ada');
    await store.transition('T-1', { to: 'ready', actor: 'ada', reason: 'packet attached' });
    const task = await store.requireTask('T-1');
    expect(task).toMatchObject({ state: 'ready', hasPacket: true, packetDigest: 'digest-of-T-1', trackId: 'track-1' });
    expect(task.packet).toEqual(packetFor('T-1').packet);
    expect((await store.events('T-1', 'packet')).map(e => e.body)).toEqual([
      { digest: 'digest-of-T-1', previous: null },
    ]);
  });

  test('in_progress is reached only by a claim', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await expect(store.transition('T-1', { to: 'in_progress', actor: 'ada', reason: 'start' })).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
      message: expect.stringContaining('moves to in_progress only by being claimed'),
    });
  });

  test('a move from a state the task has left is a conflict', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.transition('T-1', { to: 'parked', actor: 'ada', reason: 'later' });
    await expect(
      store.transition('T-1', { from: 'ready', to: 'blocked', actor: 'bob', reason: 'saw it ready' }),
    ).rejects.toMatchObject({ code: 'TASK_CONFLICT' });
    expect((await store.requireTask('T-1')).state).toBe('parked');
  });

  test('an unknown task is named', async ({ openTestStore }) => {
    const store = await openTestStore();
    await expect(store.transition('NOPE', { to: 'ready', actor: 'ada', reason: 'x' })).rejects.toMatchObject({
      code: 'TASK_UNKNOWN',
      message: expect.stringContaining('no task NOPE in the queue store'),
    });
  });

  test('list filters by state, lane and track, oldest first', async ({ openTestStore }) => {
    const store = await openTestStore(tickingClock());
    await readyTask(store, 'A-1', 'lane-a');
    await readyTask(store, 'B-1', 'lane-b');
    await store.createTask({ id: 'A-2', title: 'idea', ownerLane: 'lane-a', trackId: 'other' }, 'ada');
    expect((await store.listTasks()).map(t => t.id)).toEqual(['A-1', 'B-1', 'A-2']);
    expect((await store.listTasks({ states: ['ready'] })).map(t => t.id)).toEqual(['A-1', 'B-1']);
    expect((await store.listTasks({ lane: 'lane-a' })).map(t => t.id)).toEqual(['A-1', 'A-2']);
    expect((await store.listTasks({ track: 'other' })).map(t => t.id)).toEqual(['A-2']);
    expect((await store.listTasks({ states: ['done'] })).map(t => t.id)).toEqual([]);
  });

  test('events are kept per task in order', async ({ openTestStore }) => {
    const store = await openTestStore();
    await store.createTask({ id: 'T-1', title: 'first' }, 'ada');
    await store.addEvent('T-1', 'note', { text: 'one' }, 'ada');
    await store.addEvent('T-1', 'escalation', { files: ['x'] }, 'bob');
    expect((await store.events('T-1')).map(e => [e.kind, e.actor, e.body])).toEqual([
      ['note', 'ada', { text: 'one' }],
      ['escalation', 'bob', { files: ['x'] }],
    ]);
    expect(await store.events('T-1', 'escalation')).toHaveLength(1);
    await expect(store.addEvent('NOPE', 'note', {}, 'ada')).rejects.toMatchObject({ code: 'TASK_UNKNOWN' });
  });
});

forEachAdapter(() => {
  test('secrets never stored: credentials in free text are redacted on the way in', async ({ openTestStore }) => {
    const store = await openTestStore();
    await store.createTask({ id: 'T-1', title: 'fix login (Authorization: Bearer abc.def.ghi)' }, 'ada');
    await store.addEvent('T-1', 'note', { text: 'callback was http://app/cb?code=s3cr3tc0de&state=x' }, 'ada');
    await store.transition('T-1', { to: 'parked', actor: 'ada', reason: 'set-cookie: session=abcdef123456' });
    expect((await store.requireTask('T-1')).title).toBe('fix login (Authorization: Bearer [REDACTED])');
    expect((await store.events('T-1'))[0].body).toEqual({
      text: 'callback was http://app/cb?code=[REDACTED]&state=[REDACTED]',
    });
    expect((await store.transitions('T-1')).at(-1)!.reason).toBe('set-cookie: [REDACTED]');
  });
});
