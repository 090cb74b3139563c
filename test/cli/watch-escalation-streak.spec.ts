import { expect } from '@playwright/test';
import type { Escalation } from '../../src/store/escalation-schema.ts';
import { TaskProject } from '../helpers/task-project.ts';
import { writeWatcher } from '../helpers/watch.ts';
import { test } from '../store/fixtures.ts';

test.describe.configure({ timeout: 120_000 });

test('a streak that goes on after its escalation was answered escalates again at the next N in a row, not never', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-STREAK', TASK_KIND: 'watch' });
  expect((await project.packgate(['task', 'move', 'W-STREAK', 'blocked', '--reason', 'deploying'])).exitCode).toBe(0);
  writeWatcher(project, '.packgate/watchers/W-DEPLOY.yaml', {
    id: 'W-DEPLOY',
    task_id: 'W-STREAK',
    watch: { job_id: 'pipeline-9', poll_command: 'ci wait {job_id}' },
    escalation: [{ when: { class: 'auth', times: 2 }, escalate_to: 'C-ops', why: 'credentials rotated?' }],
  });
  project.write({ 'job.log': 'POST /token: invalid_grant\n' });
  const closeAuth = () =>
    project.json<{ escalations: Escalation[]; alreadyEscalated: Escalation[] }>([
      'watch',
      'close',
      'W-DEPLOY',
      '--status',
      'failure',
      '--evidence',
      'job.log',
    ]);
  const escalations = async () =>
    (await project.json<{ escalations: Escalation[] }>(['task', 'show', 'W-STREAK'])).body.escalations;

  expect((await closeAuth()).body.escalations).toEqual([]);
  const second = await closeAuth();
  expect(second.body.escalations).toHaveLength(1);
  expect((await closeAuth()).body).toMatchObject({ escalations: [], alreadyEscalated: [] });
  // Unanswered, the 4th in a row says it is escalated already, and raises nothing new.
  expect((await closeAuth()).body).toMatchObject({
    escalations: [],
    alreadyEscalated: [{ id: second.body.escalations[0].id }],
  });
  expect(await escalations()).toHaveLength(1);

  // The lane answers (credentials rotated, the task moves on), and auth keeps failing: two more in a row
  // are news. Before, a streak fired once and never again until something else broke it: the lane never heard.
  expect((await project.packgate(['task', 'move', 'W-STREAK', 'blocked', '--reason', 'rotated'])).exitCode).toBe(0);
  expect((await closeAuth()).body.escalations).toEqual([]);
  const sixth = await closeAuth();
  expect(sixth.result.exitCode, sixth.result.output).toBe(0);
  expect(sixth.body.escalations).toEqual([
    expect.objectContaining({
      to: 'C-ops',
      reason: 'watcher W-DEPLOY: class auth 2 times in a row: credentials rotated?',
    }),
  ]);
  expect(await escalations()).toHaveLength(2);
});
