import { expect } from '@playwright/test';
import { EXAMPLE_ENV, EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';

test.use({ adapter: 'postgres' });

test('PACKGATE_STORE_URL selects the shared PostgreSQL store: packets and tasks go there, no SQLite file', async ({
  storeLocation,
}, testInfo) => {
  if (storeLocation.kind !== 'postgres') throw new Error('expected a PostgreSQL store');
  const project = await TaskProject.create(testInfo, { git: false });
  const env = { PACKGATE_STORE_URL: storeLocation.url };
  const made = await project.make('agent-context-packet', { ...EXAMPLE_ENV, ...env });
  expect(made.exitCode, made.output).toBe(0);
  const list = await project.packgate(['task', 'list'], env);
  expect(list.stdout).toContain(`${EXAMPLE_TASK}  ready`);
  expect(project.storeSnapshot()).toBe('no store');
  const elsewhere = await project.packgate(['task', 'list']);
  expect(elsewhere.stdout).toBe('no tasks match\n');
});

test('an unreachable PostgreSQL store is named without its password, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const result = await project.packgate(['task', 'list'], {
    PACKGATE_STORE_URL: `postgresql://agent:s3cret-pw@/queue?host=${encodeURIComponent(testInfo.outputPath('no-socket'))}&port=5432`,
  });
  expect(result.stderr).toMatch(
    /^packgate: cannot connect to the queue store postgresql:\/\/agent:\*\*\*@\/queue\?host=.*: /,
  );
  expect(result.stderr).not.toContain('s3cret-pw');
  expect(result.exitCode).toBe(2);
});
