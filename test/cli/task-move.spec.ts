import { expect, test } from '@playwright/test';
import { handedOffTask } from '../helpers/handed-off-task.ts';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

test('a legal move is recorded with actor and reason', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const result = await project.packgate(['task', 'move', EXAMPLE_TASK, 'parked', '--reason', 'demo freeze']);
  expect(result.stdout).toBe(`task ${EXAMPLE_TASK}: ready -> parked (demo freeze)\n`);
  expect(result.exitCode).toBe(0);
  const { body } = await project.json<{ transitions: Array<Record<string, string>> }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.transitions.at(-1)).toMatchObject({
    from: 'ready',
    to: 'parked',
    actor: 'tester',
    reason: 'demo freeze',
  });
});

test('an illegal transition: exit 2, the legal ones named, store unchanged', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const before = project.storeSnapshot();
  const result = await project.packgate(['task', 'move', EXAMPLE_TASK, 'done', '--reason', 'skip the work']);
  expect(result.stderr).toBe(
    `packgate: task ${EXAMPLE_TASK} cannot move from ready to done\n  hint: from ready a task can move to: in_progress, parked, blocked, proposed\n`,
  );
  expect(result.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('in_progress and in_review are earned by task start and handoff, not moved to', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const before = project.storeSnapshot();
  const start = await project.packgate(['task', 'move', EXAMPLE_TASK, 'in_progress', '--reason', 'go']);
  expect(start.stderr).toBe(
    `packgate: task ${EXAMPLE_TASK} moves to in_progress by being started\n  hint: run: packgate task start ${EXAMPLE_TASK}\n`,
  );
  expect(start.exitCode).toBe(2);
  const review = await project.packgate(['task', 'move', EXAMPLE_TASK, 'in_review', '--reason', 'done, trust me']);
  expect(review.stderr).toContain(
    `moves to in_review by its handoff\n  hint: run: packgate handoff --task ${EXAMPLE_TASK}`,
  );
  expect(review.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('an unknown state, a missing reason and an unknown task are bad input, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const before = project.storeSnapshot();
  const state = await project.packgate(['task', 'move', EXAMPLE_TASK, 'finished', '--reason', 'x']);
  expect(state.stderr).toBe(
    'packgate: "finished" is not a state here\n  hint: one of: proposed, ready, in_progress, in_review, done, parked, blocked, escalated\n',
  );
  expect(state.exitCode).toBe(2);
  // A misspelt state: the one it is near, then the states (before: the states alone); so for --state.
  const misspelt = await project.packgate(['task', 'move', EXAMPLE_TASK, 'parkd', '--reason', 'x']);
  expect(misspelt.stderr).toBe(
    'packgate: "parkd" is not a state here\n  hint: did you mean "parked"? one of: proposed, ready, in_progress, ' +
      'in_review, done, parked, blocked, escalated\n',
  );
  expect(misspelt.exitCode).toBe(2);
  const listed = await project.packgate(['task', 'list', '--state', 'ready,in_reveiw']);
  expect(listed.stderr).toContain(
    'packgate: "in_reveiw" is not a state here\n  hint: did you mean "in_review"? one of:',
  );
  expect(listed.exitCode).toBe(2);
  const reason = await project.packgate(['task', 'move', EXAMPLE_TASK, 'parked']);
  expect(reason.stderr).toContain("error: required option '--reason <text>' not specified");
  expect(reason.exitCode).toBe(2);
  const unknown = await project.packgate(['task', 'move', 'NOPE', 'parked', '--reason', 'x']);
  expect(unknown.stderr).toBe(
    'packgate: no task NOPE in the queue store\n  hint: list tasks with: packgate task list\n',
  );
  expect(unknown.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('--json: the move, or a structured error', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const ok = await project.json(['task', 'move', EXAMPLE_TASK, 'blocked', '--reason', 'waiting on the IdP team']);
  expect(ok.body).toMatchObject({
    ok: true,
    transition: { from: 'ready', to: 'blocked', reason: 'waiting on the IdP team' },
  });
  const refused = await project.json(['task', 'move', EXAMPLE_TASK, 'in_review', '--reason', 'x']);
  expect(refused.result.exitCode).toBe(2);
  expect(refused.body).toMatchObject({
    ok: false,
    error: { code: 'TRANSITION_ILLEGAL', hint: `run: packgate handoff --task ${EXAMPLE_TASK}` },
  });
});

test('in_review to done by hand: refused for the review; forced by a coordinator, recorded and shown as forced', async ({}, testInfo) => {
  const { project } = await handedOffTask(testInfo, {
    kind: 'bugfix',
    files: { 'packs/auth-session/plan.md': 'the callback regression\n' },
  });
  const before = project.storeSnapshot();
  const unreviewed = await project.packgate(['task', 'move', EXAMPLE_TASK, 'done', '--reason', 'looks fine']);
  expect(unreviewed.stderr).toBe(
    `packgate: task ${EXAMPLE_TASK} moves from in_review to done by an accepted review\n` +
      `  hint: review it: packgate review submit --task ${EXAMPLE_TASK} --accept (a coordinator may force it: --force --reason "...")\n`,
  );
  expect(unreviewed.exitCode).toBe(1);
  const notCoordinator = await project.packgate(['task', 'move', EXAMPLE_TASK, 'done', '--force', '--reason', 'x']);
  expect(notCoordinator.stderr).toBe(
    'packgate: tester is not a coordinator: only a coordinator forces a task to done\n' +
      '  hint: coordinators (governance.yaml review.coordinators): coordinator, release-coordinator\n',
  );
  expect(notCoordinator.exitCode).toBe(1);
  const wrongMove = await project.packgate(['task', 'move', EXAMPLE_TASK, 'blocked', '--force', '--reason', 'x']);
  expect(wrongMove.stderr).toContain(
    `packgate: --force is for a task in_review moved to done; ${EXAMPLE_TASK} is in_review`,
  );
  expect(wrongMove.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);

  const forced = await project.json<{ transition: { to: string; reason: string; forced: boolean } }>([
    'task',
    'move',
    EXAMPLE_TASK,
    'done',
    '--force',
    '--reason',
    'demo freeze ends tonight',
    '--actor',
    'coordinator',
  ]);
  expect(forced.result.exitCode, forced.result.output).toBe(0);
  expect(forced.body.transition).toMatchObject({
    to: 'done',
    reason: 'forced by coordinator: demo freeze ends tonight',
    forced: true,
  });

  const shown = await project.packgate(['task', 'show', EXAMPLE_TASK]);
  expect(shown.stdout).toMatch(
    / in_review -> done FORCED {2}by coordinator: forced by coordinator: demo freeze ends tonight\n/,
  );
  const { body } = await project.json<{
    transitions: Array<{ to: string; forced: boolean }>;
    events: Array<{ kind: string; actor: string; body: Record<string, unknown> }>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.transitions.map(t => [t.to, t.forced])).toEqual([
    ['ready', false],
    ['in_progress', false],
    ['in_review', false],
    ['done', true],
  ]);
  expect(body.events.filter(e => e.kind === 'override')).toEqual([
    expect.objectContaining({
      actor: 'coordinator',
      body: { check: 'accepted review', from: 'in_review', to: 'done', reason: 'demo freeze ends tonight' },
    }),
  ]);
  // A forced done is no accepted coverage: the bug fix's release hold stays.
  const snapshot = project.storeSnapshot() as Record<string, Array<Record<string, unknown>>>;
  expect(snapshot.release_holds.map(h => [h.pack, h.cleared_as])).toEqual([['auth-session', null]]);
});
