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
