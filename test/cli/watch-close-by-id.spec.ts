import { expect, type TestInfo } from '@playwright/test';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';
import { TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';
import { writeWatcher } from '../helpers/watch.ts';

test.describe.configure({ timeout: 120_000 });

/** A watch task W-HAND and its watcher W-PIPELINE, where `watch new` writes it (the id names it), with a class of its own. */
async function pipelineProject(testInfo: TestInfo): Promise<TaskProject> {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-HAND', TASK_KIND: 'watch' });
  writeWatcher(project, '.packgate/watchers/W-PIPELINE.yaml', {
    id: 'W-PIPELINE',
    task_id: 'W-HAND',
    watch: { job_id: 'pipeline-7', poll_command: 'ci wait {job_id}' },
    failure: { classes: [{ name: 'quota', patterns: ['quota exceeded for \\w+'] }] },
  });
  return project;
}

test('watch close takes a watcher by its id, as watch run and watch show do: the failure classes of its packet apply', async ({}, testInfo) => {
  const project = await pipelineProject(testInfo);
  project.write({ 'job.log': 'error: quota exceeded for project-a\n' });

  // Before, the id was taken for a task: "no task W-PIPELINE in the queue store", exit 2.
  const closed = await project.json<{ closeout: WatchCloseout }>([
    'watch',
    'close',
    'W-PIPELINE',
    '--status',
    'failure',
    '--evidence',
    'job.log',
  ]);
  expect(closed.result.exitCode, closed.result.stderr).toBe(0);
  expect(closed.body.closeout).toMatchObject({
    taskId: 'W-HAND',
    watcher: 'W-PIPELINE',
    status: 'failure',
    class: 'quota',
    lines: ['error: quota exceeded for project-a'],
  });

  // A task id is still a task id.
  const byTask = await project.json<{ closeout: WatchCloseout }>([
    'watch',
    'close',
    'W-HAND',
    '--status',
    'failure',
    '--evidence',
    'job.log',
  ]);
  expect(byTask.result.exitCode, byTask.result.stderr).toBe(0);
  expect(byTask.body.closeout).toMatchObject({ taskId: 'W-HAND', watcher: 'hand' });
});

test('watch close of a misspelt watcher id says so with a did-you-mean, not "no task"; a packet naming no task is located', async ({}, testInfo) => {
  const project = await pipelineProject(testInfo);
  project.write({ 'job.log': 'error: quota exceeded for project-a\n' });
  const close = (target: string) =>
    project.packgate(['watch', 'close', target, '--status', 'failure', '--evidence', 'job.log']);

  // Before: "no task W-PIPELIN in the queue store", hinting at the task list only.
  const typo = await close('W-PIPELIN');
  expect(typo.exitCode, typo.output).toBe(2);
  expect(typo.stderr).toBe(
    'packgate: no watcher or task W-PIPELIN: no packet .packgate/watchers/W-PIPELIN.yaml and no task W-PIPELIN in the queue store\n' +
      '  hint: did you mean the watcher W-PIPELINE? known watchers: W-PIPELINE (packgate watch list); ' +
      'tasks: packgate task list; nothing was recorded\n',
  );
  const taskTypo = await close('W-HANDD');
  expect(taskTypo.exitCode, taskTypo.output).toBe(2);
  expect(taskTypo.stderr).toContain('  hint: did you mean the task W-HAND? ');

  // A packet whose task is not in the store: where, as watch run says it.
  writeWatcher(project, '.packgate/watchers/W-ORPHAN.yaml', {
    id: 'W-ORPHAN',
    task_id: 'W-HANX',
    watch: { command: 'true' },
  });
  const orphan = await close('W-ORPHAN');
  expect(orphan.exitCode, orphan.output).toBe(2);
  expect(orphan.stderr).toMatch(/\.packgate\/watchers\/W-ORPHAN\.yaml:\d+:\d+ task_id: unknown task "W-HANX"/);
  expect(orphan.stderr).toContain('did you mean "W-HAND"?');

  const shown = await project.json<{ watchCloseouts: WatchCloseout[] }>(['task', 'show', 'W-HAND']);
  expect(shown.body.watchCloseouts).toEqual([]);
});

test('watch close --class keeps the lines of that class, though another class matches the evidence first', async ({}, testInfo) => {
  const project = await pipelineProject(testInfo);
  // The quota line is a symptom; the person closing it out knows the network was the cause.
  project.write({ 'job.log': 'error: quota exceeded for project-a\nconnect ECONNREFUSED 10.0.0.1:443\n' });
  const closed = await project.json<{ closeout: WatchCloseout }>([
    'watch',
    'close',
    'W-PIPELINE',
    '--status',
    'failure',
    '--class',
    'network',
    '--evidence',
    'job.log',
  ]);
  expect(closed.result.exitCode, closed.result.stderr).toBe(0);
  // Before: no lines at all, since the first class to match (quota) was not the one given.
  expect(closed.body.closeout).toMatchObject({ class: 'network', lines: ['connect ECONNREFUSED 10.0.0.1:443'] });
});
