import { expect } from '@playwright/test';
import { parse, stringify } from 'yaml';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';
import { TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';

test.describe.configure({ timeout: 120_000 });

type Shown = {
  task: { state: string; holder: { session: string } | null };
  transitions: Array<{ from: string | null; to: string; reason: string }>;
};

test('a provider that fails on a blocked task gives it back blocked, not ready: a failed worker unblocks nothing', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const governance = parse(project.read('governance.yaml'));
  governance.watch.providers = {
    broken: { command: 'echo "connect ECONNREFUSED 10.0.0.1:443" >&2; exit 2', expected_duration: '1m' },
  };
  project.write({ 'governance.yaml': stringify(governance) });
  project.git(['init', '-q', '-b', 'main']);
  project.commitAll('the project, with a provider that fails');
  await project.examplePacket({ TASK_ID: 'T-BLOCKED' });
  const moved = await project.packgate(['task', 'move', 'T-BLOCKED', 'blocked', '--reason', 'waits on creds']);
  expect(moved.exitCode, moved.output).toBe(0);

  const dispatched = await project.json<{ released: boolean; releasedTo: string; closeout: WatchCloseout }>([
    'task',
    'dispatch',
    'T-BLOCKED',
    '--provider',
    'broken',
  ]);
  expect(dispatched.result.exitCode, dispatched.result.output).toBe(1);
  expect(dispatched.body).toMatchObject({
    released: true,
    releasedTo: 'blocked',
    closeout: { status: 'failure', class: 'network' },
  });
  const shown = await project.json<Shown>(['task', 'show', 'T-BLOCKED']);
  expect(shown.body.task.state).toBe('blocked');
  expect(shown.body.task.holder ?? null).toBeNull();
  expect(shown.body.transitions.at(-1)).toMatchObject({
    from: 'in_progress',
    to: 'blocked',
    reason: expect.stringMatching(/^provider broken ended failure \(network\): closeout #\d+$/),
  });

  // Said in words too, and a ready task still goes back to ready.
  const unblocked = await project.packgate(['task', 'move', 'T-BLOCKED', 'ready', '--reason', 'creds are here']);
  expect(unblocked.exitCode, unblocked.output).toBe(0);
  const again = await project.packgate(['task', 'dispatch', 'T-BLOCKED', '--provider', 'broken']);
  expect(again.exitCode, again.output).toBe(1);
  expect(again.stdout).toContain('task T-BLOCKED released back to ready: the provider did not succeed');
  expect((await project.json<Shown>(['task', 'show', 'T-BLOCKED'])).body.task.state).toBe('ready');
});
