import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

test.describe.configure({ timeout: 120_000 });

const FIELDS = ['--changed', 'the form posts', '--drift', 'none', '--blocked-on', 'nothing', '--next', 'wire it'];

/** `packgate checkpoint` deciding to split `task` into one part. */
const splitInto = (task: string, part: string) => [
  'checkpoint',
  '--task',
  task,
  ...FIELDS,
  '--decision',
  'split',
  '--split',
  part,
];

test('checkpoint: a task in review is not split (it could be accepted while its parts are open); exit 2, nothing written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'REV-1', GOAL: 'goal of REV-1' });
  // Handed off, as `handoff` leaves it (a handoff needs a worktree and a gate run; only the state matters here).
  project.sql("UPDATE tasks SET state = 'in_review' WHERE id = 'REV-1'");
  const before = project.storeSnapshot();

  const split = await project.packgate(splitInto('REV-1', 'REV-1a: the callback half'));
  expect(split.exitCode).toBe(2);
  expect(split.stderr).toBe(
    'packgate: task REV-1 is in_review: a split parks it until its parts are done, and a task in_review cannot be parked\n' +
      '  hint: finish its review first: accept it (packgate review submit --task REV-1 --accept) and open the rest as ' +
      'new tasks, or request changes (--request-changes), which sends it back to in_progress, then split it\n',
  );
  expect(project.storeSnapshot()).toEqual(before);
});

test('checkpoint: a parked task is not split, said as parked (its parts named if split), not as in review; exit 2, nothing written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'PARK-1', GOAL: 'goal of PARK-1' });
  const first = await project.packgate(splitInto('PARK-1', 'PARK-1a: the callback half'));
  expect(first.exitCode, first.output).toBe(0);
  const before = project.storeSnapshot();

  // The same split run twice: the parent is parked by the first.
  const again = await project.packgate(splitInto('PARK-1', 'PARK-1a: the callback half'));
  expect(again.exitCode).toBe(2);
  expect(again.stderr).toMatch(
    /^packgate: task PARK-1 is parked already \(since \S+: checkpoint #1: split into PARK-1a\): a split parks the task it splits, so a parked task is not split\n/,
  );
  expect(again.stderr).toContain(
    '  hint: its parts PARK-1a are tasks of their own: split one of them (packgate checkpoint --task <part> ...), ' +
      'or move it back to ready first (packgate task move PARK-1 ready --reason "..."), then split it\n',
  );
  expect(again.stderr).not.toContain('review');
  expect(project.storeSnapshot()).toEqual(before);

  // Parked by a park decision: no parts to name.
  const park = await project.packgate(['checkpoint', '--task', 'PARK-1a', ...FIELDS, '--decision', 'park']);
  expect(park.exitCode, park.output).toBe(0);
  const split = await project.json<{ ok: boolean; error: { code: string; message: string; hint: string } }>(
    splitInto('PARK-1a', 'PARK-1b: the logout half'),
  );
  expect(split.result.exitCode).toBe(2);
  expect(split.body.ok).toBe(false);
  expect(split.body.error.code).toBe('TRANSITION_ILLEGAL');
  expect(split.body.error.message).toMatch(
    /^task PARK-1a is parked already \(since \S+: checkpoint #1: park; blocked on: nothing\)/,
  );
  expect(split.body.error.hint).toBe(
    'move it back to ready first (packgate task move PARK-1a ready --reason "..."), then split it',
  );
});

test('checkpoint: its record and what its decision does are one write; a failure half-way leaves neither', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'SPLIT-1', GOAL: 'goal of SPLIT-1' });
  // A fault after the checkpoint and its parts are written: the parent's dependency on them fails.
  project.sql(
    "CREATE TRIGGER fault BEFORE INSERT ON task_dependencies BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
  );
  const before = project.storeSnapshot();
  const split = await project.packgate(splitInto('SPLIT-1', 'SPLIT-1a: the callback half'));
  expect(split.exitCode).not.toBe(0);
  expect(split.stderr).toContain('injected fault');
  expect(project.storeSnapshot()).toEqual(before);

  project.sql('DROP TRIGGER fault');
  const again = await project.packgate(splitInto('SPLIT-1', 'SPLIT-1a: the callback half'));
  expect(again.exitCode, again.output).toBe(0);
  expect(again.stdout).toMatch(/^checkpoint #1 of SPLIT-1: split \(ready -> parked\)\n/);
});
