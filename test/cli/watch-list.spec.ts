import { expect } from '@playwright/test';
import type { Escalation } from '../../src/store/escalation-schema.ts';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';
import type { WatchPacket } from '../../src/watch/watch-packet-schema.ts';
import { TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';

test.describe.configure({ timeout: 120_000 });

type Listed = { watchers: Array<{ file: string; packet: WatchPacket; lastRun: WatchCloseout | null }> };

test('watch run takes a watcher id; watch list and watch show give the packets and their runs; an unknown id gets a did-you-mean', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-LIST', TASK_KIND: 'watch' });
  const none = await project.packgate(['watch', 'list']);
  expect(none.exitCode, none.output).toBe(0);
  expect(none.stdout).toBe('no watchers in .packgate/watchers (write one with: packgate watch new)\n');

  const flags = ['--task-id', 'W-LIST', '--lane', 'C-ops', '--expected-duration', '30s'];
  expect(
    (await project.packgate(['watch', 'new', '--id', 'W-LIST-OK', ...flags, '--command', 'echo ok'])).exitCode,
  ).toBe(0);
  const job = [
    '--job-id',
    'pipeline-9',
    '--poll-command',
    'ci wait {job_id}',
    '--escalate',
    'failure x1 -> C-ops: look',
  ];
  expect((await project.packgate(['watch', 'new', '--id', 'W-LIST-JOB', ...flags, ...job])).exitCode).toBe(0);

  const ran = await project.packgate(['watch', 'run', 'W-LIST-OK']);
  expect(ran.exitCode, ran.output).toBe(0);
  expect(ran.stdout).toContain('watch W-LIST-OK closed out: success');

  const before = project.storeSnapshot();
  const typo = await project.packgate(['watch', 'run', 'W-LIST-OKK']);
  expect(typo.exitCode, typo.output).toBe(2);
  expect(typo.stderr).toBe(
    'packgate: no watcher W-LIST-OKK: no file W-LIST-OKK and no packet .packgate/watchers/W-LIST-OKK.yaml\n' +
      '  hint: did you mean W-LIST-OK? known watchers: W-LIST-JOB, W-LIST-OK (packgate watch list)\n',
  );
  expect(project.storeSnapshot()).toEqual(before);

  project.write({ '.packgate/watchers/W-BROKEN.yaml': 'schema_version: 1\nid: W-BROKEN\n' });
  const list = await project.packgate(['watch', 'list']);
  expect(list.exitCode, list.output).toBe(0);
  expect(list.stdout.split('\n')).toEqual([
    expect.stringMatching(/^WATCHER +TASK +LANE +WATCHES +LAST RUN$/),
    expect.stringMatching(
      /^W-BROKEN +- +- +- +packet does not pass \(\d+ errors in 1 file\): packgate watch show W-BROKEN$/,
    ),
    expect.stringMatching(/^W-LIST-JOB +W-LIST +C-ops +job pipeline-9 +-$/),
    expect.stringMatching(/^W-LIST-OK +W-LIST +C-ops +echo ok +success \d{4}-\d\d-\d\dT/),
    '',
  ]);
  const listed = await project.json<Listed>(['watch', 'list']);
  expect(listed.result.exitCode).toBe(0);
  expect(listed.body).toMatchObject({
    ok: true,
    watchers: [
      { file: '.packgate/watchers/W-LIST-JOB.yaml', packet: { id: 'W-LIST-JOB', task_id: 'W-LIST' }, lastRun: null },
      { file: '.packgate/watchers/W-LIST-OK.yaml', packet: { id: 'W-LIST-OK' }, lastRun: { status: 'success' } },
    ],
    invalid: [{ file: '.packgate/watchers/W-BROKEN.yaml', error: { code: 'WATCH_PACKET_INVALID' } }],
  });

  const shown = await project.packgate(['watch', 'show', 'W-LIST-OK']);
  expect(shown.exitCode, shown.output).toBe(0);
  expect(shown.stdout).toContain(
    'W-LIST-OK  task W-LIST  lane C-ops\n  file .packgate/watchers/W-LIST-OK.yaml\n  watches echo ok, expected 30s\n',
  );
  expect(shown.stdout).toMatch(/watch closeouts:\n {2}#\d+ W-LIST-OK run W-LIST-OK-\S+: SUCCESS, exit code 0/);
  const shownJob = await project.json<{ packet: WatchPacket; closeouts: WatchCloseout[]; escalations: Escalation[] }>([
    'watch',
    'show',
    '.packgate/watchers/W-LIST-JOB.yaml',
  ]);
  expect(shownJob.result.exitCode).toBe(0);
  expect(shownJob.body).toMatchObject({ ok: true, packet: { id: 'W-LIST-JOB' }, closeouts: [], escalations: [] });
  const jobText = await project.packgate(['watch', 'show', 'W-LIST-JOB']);
  expect(jobText.stdout).toContain('  escalation: failure x1 -> C-ops: look\n');
  expect(jobText.stdout).toContain('no runs recorded\n');

  const unknown = await project.json(['watch', 'show', 'W-NOPE']);
  expect(unknown.result.exitCode).toBe(2);
  expect(unknown.body).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  const broken = await project.packgate(['watch', 'show', 'W-BROKEN']);
  expect(broken.exitCode).toBe(2);
  expect(broken.stderr).toMatch(/\.packgate\/watchers\/W-BROKEN\.yaml:\d+:\d+ lane: missing required field/);

  // A duration given as a bare number is seconds, and is shown so.
  const seconds = ['--task-id', 'W-LIST', '--lane', 'C-ops', '--expected-duration', '45', '--command', 'echo s'];
  expect((await project.packgate(['watch', 'new', '--id', 'W-LIST-SECONDS', ...seconds])).exitCode).toBe(0);
  const shownSeconds = await project.packgate(['watch', 'show', 'W-LIST-SECONDS']);
  expect(shownSeconds.stdout).toContain('  watches echo s, expected 45s\n');
});
