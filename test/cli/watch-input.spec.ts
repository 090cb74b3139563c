import { expect } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';
import { writeWatcher } from '../helpers/watch.ts';
import { test } from '../store/fixtures.ts';

// What watch new refuses, watch run refuses too: a packet is also edited by hand. Exit 2, located, nothing recorded.
test.describe.configure({ timeout: 120_000 });

test('watch run refuses a hand-edited packet naming an unknown lane, lane to escalate to or task: located, nothing recorded', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-IN', TASK_KIND: 'watch' });
  const before = project.storeSnapshot();

  const lane = writeWatcher(project, 'w/lane.yaml', {
    id: 'W-LANE',
    task_id: 'W-IN',
    lane: 'C-opz',
    watch: { command: 'touch ran-lane' },
  });
  const badLane = await project.packgate(['watch', 'run', lane]);
  expect(badLane.exitCode, badLane.output).toBe(2);
  expect(badLane.stderr).toMatch(/w\/lane\.yaml:\d+:\d+ lane: unknown lane "C-opz"/);
  expect(badLane.stderr).toContain('did you mean "C-ops"?');

  const escalateTo = writeWatcher(project, 'w/escalate.yaml', {
    id: 'W-ESC',
    task_id: 'W-IN',
    watch: { command: 'touch ran-escalate' },
    escalation: [{ when: { status: 'failure', times: 1 }, escalate_to: 'C-opz', why: 'page' }],
  });
  const badTo = await project.packgate(['watch', 'run', escalateTo]);
  expect(badTo.exitCode, badTo.output).toBe(2);
  expect(badTo.stderr).toMatch(
    /w\/escalate\.yaml:\d+:\d+ escalation\[0\]\.escalate_to: unknown lane "C-opz" to escalate to/,
  );

  const task = writeWatcher(project, 'w/task.yaml', {
    id: 'W-TASK',
    task_id: 'C-NOPE-001',
    watch: { command: 'touch ran-task' },
  });
  const badTask = await project.packgate(['watch', 'run', task]);
  expect(badTask.exitCode, badTask.output).toBe(2);
  expect(badTask.stderr).toMatch(/w\/task\.yaml:\d+:\d+ task_id: unknown task "C-NOPE-001"/);

  for (const ran of ['ran-lane', 'ran-escalate', 'ran-task']) expect(project.exists(ran)).toBe(false);
  expect(project.storeSnapshot()).toEqual(before);
});

test('a cwd that is not a folder is refused by watch new and, hand-edited, by watch run: nothing written, nothing recorded', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-CWD', TASK_KIND: 'watch' });
  const before = project.storeSnapshot();
  const flags = ['--id', 'W-CWD-001', '--task-id', 'W-CWD', '--lane', 'C-ops', '--expected-duration', '30s'];

  const made = await project.packgate(['watch', 'new', ...flags, '--command', 'pwd', '--cwd', 'does/not/exist']);
  expect(made.exitCode, made.output).toBe(2);
  expect(made.stderr).toContain('  cwd: "does/not/exist" is not a folder');
  expect(made.stderr).toContain('hint: cwd is relative to the project root');
  expect(project.exists('.packgate/watchers/W-CWD-001.yaml')).toBe(false);

  const packet = writeWatcher(project, 'w/cwd.yaml', {
    id: 'W-CWD-001',
    task_id: 'W-CWD',
    cwd: 'does/not/exist',
    watch: { command: 'pwd' },
  });
  const run = await project.packgate(['watch', 'run', packet]);
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toMatch(/w\/cwd\.yaml:\d+:\d+ cwd: "does\/not\/exist" is not a folder/);
  expect(run.stderr).not.toContain('ENOENT');
  expect(project.storeSnapshot()).toEqual(before); // no started event left without a closeout

  // A folder that exists is where the command runs.
  project.write({ 'deploy/README': 'here' });
  const ok = await project.packgate(['watch', 'new', ...flags, '--command', 'ls', '--cwd', 'deploy']);
  expect(ok.exitCode, ok.output).toBe(0);
  const ran = await project.packgate(['watch', 'run', '.packgate/watchers/W-CWD-001.yaml']);
  expect(ran.exitCode, ran.output).toBe(0);
  expect(ran.stdout).toMatch(/^README\n/);
});
