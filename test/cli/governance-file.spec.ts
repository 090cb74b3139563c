import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

test("what the governance file holds is named by the file packgate.yaml's governance: points at, not governance.yaml", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    'config/lanes.yaml': project.read('governance.yaml'),
    'governance.yaml': null,
    'packgate.yaml': `${project.read('packgate.yaml')}governance: config/lanes.yaml\n`,
    'job.log': 'the job failed\n',
  });

  const dispatch = await project.packgate(['task', 'dispatch', 'ANY-1', '--provider', 'zzzz']);
  expect(dispatch.exitCode, dispatch.output).toBe(2);
  expect(dispatch.stderr).toBe(
    'packgate: unknown provider "zzzz"\n  hint: known providers: claude-code (config/lanes.yaml watch.providers)\n',
  );

  const close = await project.packgate([
    'watch',
    'close',
    'ANY-1',
    '--status',
    'failure',
    '--class',
    'zzzz',
    '--evidence',
    'job.log',
  ]);
  expect(close.exitCode, close.output).toBe(2);
  expect(close.stderr).toBe(
    'packgate: --class "zzzz" is not a failure class\n' +
      '  hint: known classes: auth, network, quota, infrastructure, test-failure, gate-blocked ' +
      "(the packet's failure.classes, watch.classes in config/lanes.yaml, gate-blocked); nothing was recorded\n",
  );
});
