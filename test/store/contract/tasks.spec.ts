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
    // A move to where it is already is said so.
    await store.transition('T-1', { to: 'parked', actor: 'ada', reason: 'later' });
    await expect(store.transition('T-1', { to: 'parked', actor: 'ada', reason: 'again' })).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
      message: 'task T-1 is parked already\n  hint: from parked a task can move to: ready, proposed',
    });
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

forEachAdapter(() => {
  test('a task created ready needs its packet; nothing is written without it', async ({ openTestStore }) => {
    const store = await openTestStore();
    await expect(store.createTask({ id: 'T-1', title: 'first', state: 'ready' }, 'ada')).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
      message: 'task T-1 cannot be ready without a packet',
    });
    expect(await store.getTask('T-1')).toBeUndefined();
    await expect(store.requireTask('T-1')).rejects.toMatchObject({ code: 'TASK_UNKNOWN' });
    expect(await store.stats()).toMatchObject({ tasks: 0, transitions: 0 });
  });

  test('a follow-up names the task it came from; an unknown origin is refused', async ({ openTestStore }) => {
    const store = await openTestStore(tickingClock());
    await readyTask(store, 'T-1');
    await store.createTask({ id: 'F-1', title: 'found on the way', origin: 'T-1' }, 'ada');
    await store.createTask({ id: 'F-2', title: 'and another', origin: 'T-1' }, 'ada');
    expect((await store.listTasks({ origin: 'T-1' })).map(t => [t.id, t.origin])).toEqual([
      ['F-1', 'T-1'],
      ['F-2', 'T-1'],
    ]);
    await expect(store.createTask({ id: 'F-3', title: 'orphan', origin: 'GHOST' }, 'ada')).rejects.toMatchObject({
      code: 'TASK_UNKNOWN',
      message: expect.stringContaining('no task GHOST'),
    });
    expect(await store.getTask('F-3')).toBeUndefined();
  });

  test('list and next stop at the limit, oldest first', async ({ openTestStore }) => {
    const store = await openTestStore(tickingClock());
    for (const id of ['A', 'B', 'C']) await readyTask(store, id);
    expect((await store.listTasks({ limit: 2 })).map(t => t.id)).toEqual(['A', 'B']);
    expect((await store.nextTasks({ limit: 1 })).map(t => t.id)).toEqual(['A']);
    expect((await store.nextTasks({ track: 'track-1', lane: 'lane-a' })).map(t => t.id)).toEqual(['A', 'B', 'C']);
    expect((await store.nextTasks({ track: 'other' })).map(t => t.id)).toEqual([]);
  });

  test('attaching a packet can make a proposed task ready in the same step', async ({ openTestStore }) => {
    const store = await openTestStore();
    await store.createTask({ id: 'T-1', title: 'idea' }, 'ada');
    const task = await store.setPacket('T-1', packetFor('T-1', 'lane-b'), 'ada', { readyIfProposed: true });
    expect(task).toMatchObject({ state: 'ready', title: 'goal of T-1', ownerLane: 'lane-b', hasPacket: true });
    expect((await store.transitions('T-1')).at(-1)).toMatchObject({
      from: 'proposed',
      to: 'ready',
      actor: 'ada',
      reason: 'packet attached',
    });
    // A task already past proposed stays where it is.
    await store.transition('T-1', { to: 'parked', actor: 'ada', reason: 'later' });
    await store.setPacket('T-1', { ...packetFor('T-1'), digest: 'second' }, 'ada', { readyIfProposed: true });
    expect((await store.requireTask('T-1')).state).toBe('parked');
  });

  test('replacing a packet records the digest it replaced; a done task keeps its packet', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await store.setPacket('T-1', { ...packetFor('T-1'), digest: 'second' }, 'bob');
    expect((await store.events('T-1', 'packet')).map(e => [e.actor, e.body])).toEqual([
      ['bob', { digest: 'second', previous: 'digest-of-T-1' }],
    ]);
    await store.claim('T-1', { session: { id: 's1', actor: 'a', host: 'h' }, actor: 'a', reason: 'go' });
    await store.transition('T-1', { to: 'in_review', actor: 'a', reason: 'handed off' });
    await store.transition('T-1', { to: 'done', actor: 'rev', reason: 'accepted' });
    await expect(store.setPacket('T-1', packetFor('T-1'), 'bob')).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
      message: 'task T-1 is done; its packet is final\n  hint: open a new task',
    });
    expect((await store.requireTask('T-1')).packetDigest).toBe('second');
  });

  test('a move needs a reason', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await expect(store.transition('T-1', { to: 'parked', actor: 'ada', reason: '  ' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: 'moving task T-1 needs a reason\n  hint: pass --reason "<why>"',
    });
    expect((await store.requireTask('T-1')).state).toBe('ready');
  });

  test('an event given with a move is recorded with it, or not at all', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    const handoff = { kind: 'handoff' as const, body: { summary: 'done, see the diff' } };
    await expect(
      store.transition('T-1', { to: 'done', actor: 'ada', reason: 'skip review', event: handoff }),
    ).rejects.toMatchObject({ code: 'TRANSITION_ILLEGAL' });
    expect(await store.events('T-1', 'handoff')).toEqual([]);
    const move = await store.transition('T-1', { to: 'blocked', actor: 'ada', reason: 'waiting', event: handoff });
    expect((await store.events('T-1', 'handoff')).map(e => [e.actor, e.at, e.body])).toEqual([
      ['ada', move.at, { summary: 'done, see the diff' }],
    ]);
  });
});

forEachAdapter(() => {
  test('secrets never stored: a packet and its title are redacted on the way in', async ({ openTestStore }) => {
    const store = await openTestStore();
    await store.createTask({ id: 'T-1', title: 'idea' }, 'ada');
    const packet = packetFor('T-1');
    await store.setPacket(
      'T-1',
      {
        ...packet,
        title: 'fix login (Authorization: Bearer abc.def.ghi)',
        packet: { ...packet.packet, notes: ['set-cookie: session=abcdef123456'] },
      },
      'ada',
    );
    const task = await store.requireTask('T-1');
    expect(task.title).toBe('fix login (Authorization: Bearer [REDACTED])');
    expect(task.packet).toMatchObject({ notes: ['set-cookie: [REDACTED]'] });
  });
});
