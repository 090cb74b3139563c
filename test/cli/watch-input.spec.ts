import { expect } from '@playwright/test';
import type { Escalation } from '../../src/store/escalation-schema.ts';
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

test('an expected duration of 0, or one whose deadline (x grace) is past what a timer holds, is refused with why', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-DUR', TASK_KIND: 'watch' });
  const before = project.storeSnapshot();
  const flags = ['--id', 'W-DUR-001', '--task-id', 'W-DUR', '--lane', 'C-ops', '--command', 'true'];

  const zero = await project.packgate(['watch', 'new', ...flags, '--expected-duration', '0s']);
  expect(zero.exitCode, zero.output).toBe(2);
  expect(zero.stderr).toContain('  expected_duration: must be longer than 0');
  // 20d x grace 1.5 = 30 days: the timer would fire at once and kill the command as it starts.
  const long = await project.packgate(['watch', 'new', ...flags, '--expected-duration', '20d']);
  expect(long.exitCode, long.output).toBe(2);
  expect(long.stderr).toContain(
    '  expected_duration: 20d x grace 1.5 is 30 days, past the longest deadline a watcher can keep (24.8 days): give at most 16.5 days',
  );
  expect(project.exists('.packgate/watchers/W-DUR-001.yaml')).toBe(false);

  for (const [file, expected, message] of [
    ['w/zero.yaml', 0, 'must be longer than 0'],
    ['w/long.yaml', '20d', '20d x grace 1.5 is 30 days'],
    ['w/longer.yaml', '30d', 'must be at most 24.8 days (2^31-1 ms, the longest timer Node keeps)'],
  ] as const) {
    writeWatcher(project, file, {
      id: 'W-DUR-001',
      task_id: 'W-DUR',
      expected_duration: expected,
      watch: { command: 'touch ran' },
    });
    const run = await project.packgate(['watch', 'run', file]);
    expect(run.exitCode, run.output).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`${file}:\\d+:\\d+ expected_duration: .*${message.replace(/[()^]/g, '\\$&')}`),
    );
    expect(run.stderr).not.toContain('TimeoutOverflowWarning');
  }
  expect(project.exists('ran')).toBe(false);
  expect(project.storeSnapshot()).toEqual(before);

  // A provider's deadline is held to the same bound, where governance.yaml gives both.
  project.write({
    'governance.yaml': project
      .read('governance.yaml')
      .replace(/^ {2}providers:\n/m, '  providers:\n    slow:\n      command: sleep 1\n      expected_duration: 20d\n'),
  });
  const provider = await project.packgate(['watch', 'new', ...flags, '--expected-duration', '1m']);
  expect(provider.exitCode, provider.output).toBe(2);
  expect(provider.stderr).toMatch(
    /governance\.yaml:\d+:\d+ watch\.providers\.slow\.expected_duration: 20d x grace 1\.5 is 30 days/,
  );
});

test('rules that could never fire and self-contradicting hand closeouts are refused; `any` fires every time, once while unanswered', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-ESC', TASK_KIND: 'watch' });
  const before = project.storeSnapshot();
  const flags = ['--id', 'W-ESC-001', '--task-id', 'W-ESC', '--lane', 'C-ops', '--expected-duration', '30s'];

  const typo = await project.packgate([
    'watch',
    'new',
    ...flags,
    '--command',
    'exit 1',
    '--escalate',
    'auht x1 -> C-ops',
  ]);
  expect(typo.exitCode, typo.output).toBe(2);
  expect(typo.stderr).toContain(
    '  escalation: unknown failure class "auht": the rule would never fire\n    hint: did you mean "auth"?',
  );
  const handTypo = writeWatcher(project, 'w/typo.yaml', {
    id: 'W-ESC-001',
    task_id: 'W-ESC',
    watch: { command: 'exit 1' },
    escalation: [{ when: { class: 'auht', times: 1 }, escalate_to: 'C-ops', why: 'typo' }],
  });
  const run = await project.packgate(['watch', 'run', handTypo]);
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toMatch(/w\/typo\.yaml:\d+:\d+ escalation\[0\]\.when\.class: unknown failure class "auht"/);

  project.write({ 'job.log': 'it went fine\n' });
  for (const [args, message] of [
    [['--status', 'failure', '--class', 'infra'], '--class "infra" is not a failure class'],
    [
      ['--status', 'success', '--class', 'auth'],
      '--status success with --class "auth": a success has no failure class',
    ],
    [['--status', 'success', '--exit-code', '3'], '--status success with --exit-code 3: a success exits with 0'],
    // Before: read as 0, a success's exit code.
    [['--status', 'success', '--exit-code', ''], '--exit-code "" is not an integer'],
    [['--status', 'failure', '--exit-code', '0x1'], '--exit-code "0x1" is not an integer'],
  ] as const) {
    const closed = await project.packgate(['watch', 'close', 'W-ESC', '--evidence', 'job.log', ...args]);
    expect(closed.exitCode, closed.output).toBe(2);
    expect(closed.stderr).toContain(message);
  }
  expect(project.storeSnapshot()).toEqual(before);

  // `x1 any`: every failure pages, not only the first one ever; but not again while its page is not answered.
  const made = await project.packgate([
    'watch',
    'new',
    ...flags,
    '--command',
    'exit 1',
    '--escalate',
    'failure x1 any -> C-ops: page',
  ]);
  expect(made.exitCode, made.output).toBe(0);
  const page = 'watcher W-ESC-001: status failure 1 time: page';
  const escalations = async () =>
    (await project.json<{ escalations: Escalation[] }>(['task', 'show', 'W-ESC'])).body.escalations;
  const failed = await project.packgate(['watch', 'run', 'W-ESC-001']);
  expect(failed.exitCode).toBe(1);
  expect(failed.stdout).toContain(`\nescalated to C-ops: ${page}\n`);
  const [open] = await escalations();
  for (let i = 0; i < 2; i++) {
    const again = await project.json<{ escalations: Escalation[]; alreadyEscalated: Escalation[] }>([
      'watch',
      'run',
      'W-ESC-001',
    ]);
    expect(again.body).toMatchObject({ escalations: [], alreadyEscalated: [{ id: open.id }] });
  }
  const text = await project.packgate(['watch', 'run', 'W-ESC-001']);
  expect(text.stdout).toContain(
    `\nalready escalated to C-ops on ${open.createdAt} (escalation #${open.id}, not answered yet): ${page}\n`,
  );
  expect(await escalations()).toHaveLength(1);
  // Answered (the task moved): the next failure pages again.
  expect((await project.packgate(['task', 'move', 'W-ESC', 'blocked', '--reason', 'looking'])).exitCode).toBe(0);
  const later = await project.packgate(['watch', 'run', 'W-ESC-001']);
  expect(later.stdout).toContain(`\nescalated to C-ops: ${page}\n`);
  expect(await escalations()).toHaveLength(2);
});

test('watch new refuses a command that carries a credential, as packet new refuses one: the packet is committed', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-IN', TASK_KIND: 'watch' });
  const result = await project.packgate(['watch', 'new'], {
    WATCH_ID: 'W-LEAK',
    TASK_ID: 'W-IN',
    OWNER_LANE: 'C-ops',
    WATCH_COMMAND: 'curl -H "Authorization: Bearer abcdefgh12345678" https://ci/deploy',
    WATCH_EXPECTED_DURATION: '5m',
  });
  expect(result.stderr).toContain(
    '  watch.command: looks like it holds a secret (a token, password, cookie or OAuth code)\n' +
      '    hint: read it from an env var in the command instead ($DEPLOY_TOKEN); watcher packets are committed and shared',
  );
  expect(result.stderr).not.toContain('abcdefgh12345678');
  expect(result.exitCode).toBe(2);
  expect(project.exists('.packgate/watchers/W-LEAK.yaml')).toBe(false);
});

test('a misspelt field of what a hand-written packet watches gets a did-you-mean, as any other unknown field', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-TYPO', TASK_KIND: 'watch' });
  const before = project.storeSnapshot();
  for (const [file, watch, message] of [
    [
      'w/command.yaml',
      { comand: 'touch ran' },
      'watch.comand: unknown field "comand"\n  hint: did you mean "command"?',
    ],
    [
      'w/job.yaml',
      { job_id: 'pipeline-1', pol_command: 'touch ran' },
      'watch.pol_command: unknown field "pol_command"\n  hint: did you mean "poll_command"?',
    ],
    [
      'w/other.yaml',
      { script: 'touch ran' },
      'watch.script: unknown field "script"\n  hint: fields allowed here: command, job_id, poll_command',
    ],
  ] as const) {
    writeWatcher(project, file, { id: 'W-TYPO-001', task_id: 'W-TYPO', watch });
    const run = await project.packgate(['watch', 'run', file]);
    expect(run.exitCode, run.output).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`\\n${file}:\\d+:\\d+ ${message.replace(/[.?()"]/g, '\\$&')}\\n`));
  }
  expect(project.exists('ran')).toBe(false);
  expect(project.storeSnapshot()).toEqual(before);
});

test('a hand-written packet that watches a command and a job both is told to watch one, not "did you mean" the field it wrote', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-BOTH', TASK_KIND: 'watch' });
  const before = project.storeSnapshot();
  // Before: `unknown field "poll_command"`, hint `did you mean "poll_command"?`; or "a map is not any of the accepted forms".
  for (const watch of [
    { command: 'touch ran', poll_command: 'ci wait {job_id}' },
    { command: 'touch ran', job_id: 'pipeline-1' },
    { command: 'touch ran', job_id: 'pipeline-1', poll_command: 'ci wait {job_id}' },
  ]) {
    const file = writeWatcher(project, 'w/both.yaml', { id: 'W-BOTH-001', task_id: 'W-BOTH', watch });
    const run = await project.packgate(['watch', 'run', file]);
    expect(run.exitCode, run.output).toBe(2);
    const job = Object.keys(watch)
      .filter(k => k !== 'command')
      .join(' and ');
    expect(run.stderr).toMatch(
      new RegExp(
        `\\nw/both\\.yaml:\\d+:\\d+ watch: watches a command and a job both \\(command, ${job}\\)\\n` +
          '  hint: keep command: \\(a command it runs\\), or job_id: with poll_command: \\(an external job it follows\\)\\n',
      ),
    );
    expect(run.stderr).toContain('(1 error in 1 file)');
  }
  expect(project.exists('ran')).toBe(false);
  expect(project.storeSnapshot()).toEqual(before);
});

test('a success exit code no shell exits with (256, -1) or not a whole number (0x1, empty) is refused, not a packet every run fails', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-EXIT', TASK_KIND: 'watch' });
  const before = project.storeSnapshot();
  const flags = ['--id', 'W-EXIT-001', '--task-id', 'W-EXIT', '--lane', 'C-ops', '--command', 'true'];
  const watchNew = (more: string[], env: Record<string, string> = {}) =>
    project.packgate(['watch', 'new', ...flags, '--expected-duration', '1m', ...more], env);
  const range = 'must be 0 to 255: the shell exits with a code of one byte';

  for (const code of ['256', '-1']) {
    const refused = await watchNew(['--success-exit-code', code]);
    expect(refused.exitCode, refused.output).toBe(2);
    expect(refused.stderr).toContain(`  success.exit_code: ${range}`);
  }
  for (const code of ['0x1', '']) {
    const refused = await watchNew([], { WATCH_SUCCESS_EXIT_CODE: code });
    expect(refused.exitCode, refused.output).toBe(2);
    expect(refused.stderr).toContain(`  success.exit_code: "${code}" is not a whole number`);
  }
  expect(project.exists('.packgate/watchers/W-EXIT-001.yaml')).toBe(false);

  // Edited by hand: `true` exits 0, which 256 is not, so the run would close out a failure of exit code 0.
  const file = writeWatcher(project, 'w/exit.yaml', {
    id: 'W-EXIT-001',
    task_id: 'W-EXIT',
    success: { exit_code: 256 },
    watch: { command: 'touch ran' },
  });
  const run = await project.packgate(['watch', 'run', file]);
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+ success\\.exit_code: ${range}`));
  expect(project.exists('ran')).toBe(false);
  expect(project.storeSnapshot()).toEqual(before);

  const ok = await watchNew(['--success-exit-code', '3']);
  expect(ok.exitCode, ok.output).toBe(0);
});

test("a packet in .packgate/watchers/ copied for another watcher, its id unchanged, is refused: its runs would count as the first's", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-ID', TASK_KIND: 'watch' });
  const first = writeWatcher(project, '.packgate/watchers/W-ID-DEMO.yaml', {
    id: 'W-ID-DEMO',
    task_id: 'W-ID',
    watch: { command: 'true' },
  });
  project.write({
    '.packgate/watchers/W-ID-STAGING.yaml': project.read(first).replace('command: "true"', 'command: touch ran'),
  });
  const before = project.storeSnapshot();

  const run = await project.packgate(['watch', 'run', 'W-ID-STAGING']);
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toMatch(
    /\.packgate\/watchers\/W-ID-STAGING\.yaml:\d+:\d+ id: the watcher in \.packgate\/watchers\/W-ID-STAGING\.yaml is W-ID-STAGING, by its file name, but its id is W-ID-DEMO: its runs would be closed out as W-ID-DEMO's\n/,
  );
  expect(run.stderr).toContain(
    'hint: set id: W-ID-STAGING (a copied packet keeps the id it was copied from), or rename the file to W-ID-DEMO.yaml',
  );
  expect(project.exists('ran')).toBe(false);
  const close = await project.packgate(['watch', 'close', 'W-ID-STAGING', '--status', 'failure', '--evidence', first]);
  expect(close.exitCode, close.output).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);

  // Listed once under each name: the copy as a packet that does not pass, not as W-ID-DEMO a second time.
  const list = await project.json<{ watchers: Array<{ packet: { id: string } }>; invalid: Array<{ file: string }> }>([
    'watch',
    'list',
  ]);
  expect(list.body.watchers.map(w => w.packet.id)).toEqual(['W-ID-DEMO']);
  expect(list.body.invalid.map(w => w.file)).toEqual(['.packgate/watchers/W-ID-STAGING.yaml']);

  // watch new does not write one either.
  const out = '.packgate/watchers/W-ID-OTHER.yaml';
  const flags = ['--id', 'W-ID-DEMO', '--task-id', 'W-ID', '--lane', 'C-ops', '--command', 'true'];
  const written = await project.packgate(['watch', 'new', ...flags, '--expected-duration', '1m', '--out', out]);
  expect(written.exitCode, written.output).toBe(2);
  expect(written.stderr).toContain("its id is W-ID-DEMO: its runs would be closed out as W-ID-DEMO's");
  expect(written.stderr).toContain(
    'hint: leave --out out (it writes .packgate/watchers/W-ID-DEMO.yaml), or give --id W-ID-OTHER',
  );
  expect(project.exists(out)).toBe(false);
});
