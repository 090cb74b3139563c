import { expect } from '@playwright/test';
import { parse, stringify } from 'yaml';
import { TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';

test.describe.configure({ timeout: 120_000 });

type Shown = {
  task: { state: string; holder: { session: string } | null };
  transitions: Array<{ from: string | null; to: string; reason: string }>;
  events: Array<{ kind: string; body: Record<string, unknown> }>;
};

test('a task dispatch whose provider cannot start gives the task back and ends the worker session (exit 2, WATCH_NOT_STARTED)', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const governance = parse(project.read('governance.yaml'));
  governance.watch.providers = { scripted: { command: 'touch ran.marker', expected_duration: '1m' } };
  project.write({ 'governance.yaml': stringify(governance) });
  project.git(['init', '-q', '-b', 'main']);
  project.commitAll('the project, with a provider');
  await project.examplePacket({ TASK_ID: 'T-NO-START' });
  // A file where the folder of watch logs goes: the provider's log cannot be opened, so it never starts.
  project.write({ '.packgate/watch-logs': 'not a folder\n' });

  const dispatched = await project.packgate(['task', 'dispatch', 'T-NO-START', '--provider', 'scripted']);
  expect(dispatched.exitCode, dispatched.output).toBe(2);
  expect(dispatched.stdout).toBe('');
  expect(dispatched.stderr).toBe(
    'packgate: watcher dispatch-scripted did not run its command: cannot create the folder of watch logs ' +
      '.packgate/watch-logs: a file is in the way\n' +
      '  hint: move or remove the file .packgate/watch-logs: watch run keeps the logs of its runs in ' +
      '.packgate/watch-logs/; nothing ran; task T-NO-START is back in ready\n',
  );
  const shown = await project.json<Shown>(['task', 'show', 'T-NO-START']);
  expect(shown.body.task.state).toBe('ready');
  expect(shown.body.task.holder ?? null).toBeNull();
  expect(shown.body.transitions.at(-1)).toMatchObject({
    from: 'in_progress',
    to: 'ready',
    reason: expect.stringMatching(
      /^dispatch to scripted failed before its closeout: watcher dispatch-scripted did not run its command: /,
    ),
  });
  const watch = shown.body.events.filter(e => e.kind === 'watch').map(e => e.body);
  expect(watch.map(e => e.phase)).toEqual(['started', 'failed']);
  const sessions = await project.json<{ sessions: Array<{ id: string }> }>(['session', 'list']);
  expect(sessions.body.sessions).toEqual([]);
  expect(project.exists('ran.marker')).toBe(false);

  // A blocked task dispatched all the same goes back to blocked, not ready: nothing ran to unblock it.
  const blocked = await project.packgate(['task', 'move', 'T-NO-START', 'blocked', '--reason', 'waits on creds']);
  expect(blocked.exitCode, blocked.output).toBe(0);
  const again = await project.json<{ ok: boolean; error: { code: string } }>([
    'task',
    'dispatch',
    'T-NO-START',
    '--provider',
    'scripted',
  ]);
  expect(again.result.exitCode, again.result.output).toBe(2);
  expect(again.body).toMatchObject({ ok: false, error: { code: 'WATCH_NOT_STARTED' } });
  const after = await project.json<Shown>(['task', 'show', 'T-NO-START']);
  expect(after.body.task.state).toBe('blocked');
  expect(after.body.task.holder ?? null).toBeNull();
  expect((await project.json<{ sessions: unknown[] }>(['session', 'list'])).body.sessions).toEqual([]);
});
