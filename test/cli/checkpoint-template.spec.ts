import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 180_000 });

type Recorded = { checkpoint: { decision: string; whatChanged: string; originalGoal: string } };

const LEFTOVER = '.packgate/checkpoints/A-1.yaml';

test('checkpoint --edit: a template left by a failed attempt is reopened, and flags given now replace its values', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  // A first attempt fails on its decision; the template, with the user's edits, is kept.
  project.write({
    'bad.yaml':
      'original_goal: goal of A-1\ncurrent_track: A-1\nwhat_changed: from the editor\ndrift_discovered: none\n' +
      'blocked_on: nothing\nnext_actions: [wire it]\ndecision: halt\n',
  });
  const failed = await project.packgate(['checkpoint', '--task', 'A-1', '--edit'], {
    EDITOR: `cp ${path.join(project.dir, 'bad.yaml')}`,
  });
  expect(failed.exitCode).toBe(2);
  expect(project.exists(LEFTOVER)).toBe(true);

  // Now with --decision: the flag wins over the leftover's, the other edits stay.
  const again = await project.json<Recorded>(['checkpoint', '--task', 'A-1', '--edit', '--decision', 'continue'], {
    EDITOR: 'true',
  });
  expect(again.result.exitCode, again.result.output).toBe(0);
  expect(again.result.stderr).toContain(
    `packgate: reopening ${LEFTOVER}, kept from an earlier attempt, with --decision as given now\n`,
  );
  expect(again.body.checkpoint).toMatchObject({ decision: 'continue', whatChanged: 'from the editor' });
  expect(project.exists(LEFTOVER)).toBe(false);

  // A leftover that is not YAML cannot take the flags: it is moved aside, and a new template starts from them.
  project.write({ [LEFTOVER]: 'what_changed: [never closed\n' });
  const fields = ['--changed', 'the form posts', '--drift', 'none', '--blocked-on', 'nothing', '--next', 'wire it'];
  const fresh = await project.json<Recorded>(
    ['checkpoint', '--task', 'A-1', '--edit', ...fields, '--decision', 'continue'],
    { EDITOR: 'true' },
  );
  expect(fresh.result.exitCode, fresh.result.output).toBe(0);
  expect(fresh.result.stderr).toContain(
    `packgate: ${LEFTOVER}, kept from an earlier attempt, is not readable YAML, so --changed, --drift, --blocked-on, ` +
      '--next, --decision cannot go into it: it is moved to .packgate/checkpoints/A-1.previous.yaml and a new ' +
      'template starts from the flags given now\n',
  );
  expect(fresh.body.checkpoint).toMatchObject({ decision: 'continue', whatChanged: 'the form posts' });
  expect(project.read('.packgate/checkpoints/A-1.previous.yaml')).toBe('what_changed: [never closed\n');
});
