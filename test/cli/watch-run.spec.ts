import fs from 'node:fs';
import { expect } from '@playwright/test';
import type { QueueHealthReport } from '../../src/coordinator/queue-health-report.ts';
import type { Escalation } from '../../src/store/escalation-schema.ts';
import { unjudgedVerdict } from '../../src/gate/unjudged.ts';
import { sha256 } from '../../src/store/blobs.ts';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';
import { EXAMPLE_ENV, TaskProject } from '../helpers/task-project.ts';
import { processGone, writeWatcher } from '../helpers/watch.ts';
import { test } from '../store/fixtures.ts';

// Runs real commands under the watcher, one gate run among them (its stack): run with flock.
test.describe.configure({ timeout: 180_000 });

type Shown = { watchCloseouts: WatchCloseout[]; escalations: Escalation[]; task: { state: string } };

async function watchTask(project: TaskProject, id: string, env: Record<string, string> = {}): Promise<void> {
  await project.examplePacket({ TASK_ID: id, TASK_KIND: 'watch', ...env });
}

test(
  'watch run: a timeout kills the process group, success keeps duration, exit code and a redacted log by digest' +
    ', SIGTERM records interrupted',
  async ({}, testInfo) => {
    const project = await TaskProject.create(testInfo, { git: false });
    // Heartbeats every 0.2 s, so the slow run beats while it runs.
    project.write({
      'governance.yaml': project.read('governance.yaml').replace('heartbeat_s: 60', 'heartbeat_s: 0.2'),
    });
    await watchTask(project, 'W-RUN');

    const slow = writeWatcher(project, 'w/slow.yaml', {
      id: 'W-SLOW',
      task_id: 'W-RUN',
      expected_duration: '1s',
      // A grandchild that ignores SIGTERM: only killing the whole group ends it.
      watch: { command: '(trap "" TERM; exec sleep 300) & echo $! > grandchild.pid; echo waiting; wait' },
    });
    const timedOut = await project.json<{ closeout: WatchCloseout; why: string }>(['watch', 'run', slow], {
      PACKGATE_SESSION: 'watcher-slow',
    });
    expect(timedOut.result.exitCode, timedOut.result.stderr).toBe(1);
    expect(timedOut.body.closeout).toMatchObject({ status: 'timeout', watcher: 'W-SLOW', exitCode: null });
    // Before: "the deadline passed", which said neither which deadline nor what to do.
    expect(timedOut.body.why).toBe(
      'the deadline passed: still running after 1s x watch.grace 1.5, the process group was killed ' +
        '(if a healthy run takes this long, raise expected_duration)',
    );
    expect(timedOut.result.stderr).toContain('waiting'); // the watched output, on stderr under --json
    const grandchild = Number(project.read('grandchild.pid'));
    expect(grandchild).toBeGreaterThan(0);
    await expect.poll(() => processGone(grandchild)).toBe(true);
    const sessions = await project.json<{ sessions: Array<{ id: string; startedAt: string; heartbeatAt: string }> }>([
      'session',
      'list',
    ]);
    const slowSession = sessions.body.sessions.find(s => s.id === 'watcher-slow')!;
    expect(slowSession.heartbeatAt > slowSession.startedAt).toBe(true);

    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3YXRjaGVyIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const quick = writeWatcher(project, 'w/quick.yaml', {
      id: 'W-QUICK',
      task_id: 'W-RUN',
      watch: { command: `echo deployed; echo "Authorization: Bearer ${token}"` },
    });
    const ok = await project.packgate(['watch', 'run', quick], { PACKGATE_SESSION: 'watcher-1' });
    expect(ok.exitCode, ok.output).toBe(0);
    expect(ok.stdout).toMatch(/^deployed\n/); // teed to the terminal as it ran
    expect(ok.stdout).toContain('watch W-QUICK closed out: success: exit code 0');

    const stopped = writeWatcher(project, 'w/stopped.yaml', {
      id: 'W-STOPPED',
      task_id: 'W-RUN',
      watch: { command: 'sleep 300 & echo $! > stopped.pid; echo started; wait' },
    });
    const { child, done } = project.temp.start([`${project.dir}/bin/packgate.js`, 'watch', 'run', stopped]);
    await expect.poll(() => project.exists('stopped.pid') && project.read('stopped.pid').trim() !== '').toBe(true);
    child.kill('SIGTERM');
    const interrupted = await done;
    expect(interrupted.exitCode, interrupted.output).toBe(143);
    expect(interrupted.stdout).toContain('watch W-STOPPED closed out: interrupted');
    await expect.poll(() => processGone(Number(project.read('stopped.pid')))).toBe(true);

    // The terminal closing (SIGHUP) ends the command too, closed out: not left running in its own group.
    const hungUp = writeWatcher(project, 'w/hung-up.yaml', {
      id: 'W-HUNG-UP',
      task_id: 'W-RUN',
      watch: { command: 'sleep 300 & echo $! > hung-up.pid; echo started; wait' },
    });
    const terminal = project.temp.start([`${project.dir}/bin/packgate.js`, 'watch', 'run', hungUp]);
    await expect.poll(() => project.exists('hung-up.pid') && project.read('hung-up.pid').trim() !== '').toBe(true);
    terminal.child.kill('SIGHUP');
    const closed = await terminal.done;
    expect(closed.exitCode, closed.output).toBe(129);
    expect(closed.stdout).toContain('watch W-HUNG-UP closed out: interrupted');
    await expect.poll(() => processGone(Number(project.read('hung-up.pid')))).toBe(true);

    const shown = await project.json<Shown>(['task', 'show', 'W-RUN']);
    const [slowOut, quickOut, stoppedOut] = shown.body.watchCloseouts;
    expect(shown.body.watchCloseouts.map(c => c.status)).toEqual(['timeout', 'success', 'interrupted', 'interrupted']);
    expect(quickOut).toMatchObject({ exitCode: 0, signal: null, session: 'watcher-1', source: 'run', class: null });
    expect(quickOut.durationMs).toEqual(expect.any(Number));
    const log = project.read(quickOut.logPath!);
    expect(log).toContain('deployed\n');
    expect(log).not.toContain(token);
    expect(quickOut.logDigest).toBe(sha256(log));
    expect(stoppedOut.status).toBe('interrupted');
    expect(slowOut.signal).toBe('SIGTERM');
    // The contract with queue health: a started and a closed watch event per run, pointing at its closeout.
    const events = (
      await project.json<{ events: Array<{ kind: string; body: Record<string, unknown> }> }>(['task', 'show', 'W-RUN'])
    ).body.events.filter(e => e.kind === 'watch');
    expect(events.map(e => [e.body.phase, e.body.packet ?? e.body.status])).toEqual([
      ['started', 'W-SLOW'],
      ['closed', 'timeout'],
      ['started', 'W-QUICK'],
      ['closed', 'success'],
      ['started', 'W-STOPPED'],
      ['closed', 'interrupted'],
      ['started', 'W-HUNG-UP'],
      ['closed', 'interrupted'],
    ]);
    expect(events[2].body).toEqual({ phase: 'started', run: quickOut.run, packet: 'W-QUICK', session: 'watcher-1' });
    expect(events[3].body).toEqual({
      phase: 'closed',
      run: quickOut.run,
      closeout: quickOut.id,
      status: 'success',
      class: null,
    });
  },
);

test("a watched command's secrets never reach the disk: not while it runs, not in the stored log, lines or command", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-SECRETS');
  const secrets = {
    env: 'env-deploy-token-9f8e7d',
    assigned: 'db-password-Hunter2x',
    url: 'pgPassw0rd99',
    key: 'MIIEowIBAAKCAQEAsecretkeybody',
    github: `ghp_${'a1B2c3D4e5'.repeat(4)}`,
    flag: 'S3cretAdminPw',
  };
  const print = [
    'echo "token from the environment: $DEPLOY_TOKEN"',
    `echo "DB_PASSWORD=${secrets.assigned}"`,
    `echo "Error: connect ECONNREFUSED postgres://deploy:${secrets.url}@db.internal:5432/app" >&2`,
    "echo '-----BEGIN RSA PRIVATE KEY-----'",
    `echo '${secrets.key}'`,
    "echo '-----END RSA PRIVATE KEY-----'",
    `echo "pushing with ${secrets.github}"`,
    'echo "auth failed: 401 Unauthorized"',
    // Held here until the test has read the log on disk, as a watcher killed now would leave it.
    'while [ ! -f go ]; do sleep 0.05; done',
    'exit 1',
  ].join('; ');
  const watcher = writeWatcher(project, 'w/secrets.yaml', {
    id: 'W-SECRETS-1',
    task_id: 'W-SECRETS',
    watch: { command: `true --user admin:${secrets.flag}; ${print}` },
  });
  const { done } = project.temp.start([`${project.dir}/bin/packgate.js`, 'watch', 'run', watcher], {
    DEPLOY_TOKEN: secrets.env,
  });
  const logs = `${project.dir}/.packgate/watch-logs`;
  const whileRunning = () => {
    const [file] = fs.existsSync(logs) ? fs.readdirSync(logs) : [];
    return file ? fs.readFileSync(`${logs}/${file}`, 'utf8') : '';
  };
  await expect.poll(whileRunning).toContain('auth failed');
  const onDisk = whileRunning();
  project.write({ go: '' });
  const ended = await done;
  expect(ended.exitCode, ended.output).toBe(1);
  expect(ended.stdout).toContain('token from the environment'); // the terminal shows the command's own output

  const shown = await project.json<Shown>(['task', 'show', 'W-SECRETS']);
  const [closeout] = shown.body.watchCloseouts;
  expect(closeout.status).toBe('failure');
  const stored = project.read(closeout.logPath!);
  expect(stored).toContain('token from the environment: [REDACTED]\nDB_PASSWORD=[REDACTED]\n');
  expect(stored).toContain('postgres://deploy:[REDACTED]@db.internal:5432/app');
  // Every file the watcher wrote (the log, the evidence store, the database and its WAL) and what task show says.
  const written = fs
    .readdirSync(`${project.dir}/.packgate`, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => [entry.name, fs.readFileSync(`${entry.parentPath}/${entry.name}`, 'latin1')]);
  expect(written.length).toBeGreaterThan(3);
  for (const [name, text] of [['while running', onDisk], ['task show', JSON.stringify(shown.body)], ...written])
    for (const secret of Object.values(secrets)) expect(text, `${name} holds ${secret}`).not.toContain(secret);
});

for (const adapter of ['sqlite', 'postgres'] as const)
  test.describe(adapter, () => {
    test.use({ adapter });
    test('a failure pattern classifies the run with its lines; the second auth failure in a row escalates, listed by task show, queue health', async ({
      storeLocation,
    }, testInfo) => {
      const project = await TaskProject.create(testInfo, { git: false });
      const env: Record<string, string> =
        storeLocation.kind === 'postgres' ? { PACKGATE_STORE_URL: storeLocation.url } : {};
      await project.examplePacket({ TASK_ID: 'W-AUTH', TASK_KIND: 'watch', ...env });
      expect(
        (await project.packgate(['task', 'start', 'W-AUTH', '--no-worktree', '--session', 'watcher-1'], env)).exitCode,
      ).toBe(0);
      const packet = writeWatcher(project, 'w/auth.yaml', {
        id: 'W-AUTH-001',
        task_id: 'W-AUTH',
        // The project's auth class (governance.yaml) knows "401 ... Unauthorized"; the packet adds nothing.
        watch: { command: 'echo "deploying"; echo "POST /realms/x/token: 401 Unauthorized" >&2; exit 3' },
        escalation: [
          { when: { class: 'auth', times: 2 }, escalate_to: 'C-ops', why: 'the deploy credentials were rotated?' },
        ],
      });
      const first = await project.json<{ closeout: WatchCloseout; escalations: Escalation[] }>(
        ['watch', 'run', packet],
        env,
      );
      expect(first.result.exitCode).toBe(1);
      expect(first.body.closeout).toMatchObject({
        status: 'failure',
        class: 'auth',
        exitCode: 3,
        lines: ['POST /realms/x/token: 401 Unauthorized'],
      });
      expect(first.body.escalations).toEqual([]);
      const second = await project.packgate(['watch', 'run', packet], env);
      expect(second.exitCode).toBe(1);
      expect(second.stdout).toContain(
        'escalated to C-ops: watcher W-AUTH-001: class auth 2 times in a row: the deploy credentials were rotated?',
      );
      const shown = await project.json<Shown>(['task', 'show', 'W-AUTH'], env);
      expect(shown.body.task.state).toBe('escalated');
      expect(shown.body.escalations).toEqual([
        expect.objectContaining({
          source: 'watch',
          to: 'C-ops',
          moved: true,
          details: expect.objectContaining({ closeouts: shown.body.watchCloseouts.map(c => c.id) }),
        }),
      ]);
      const text = await project.packgate(['task', 'show', 'W-AUTH'], env);
      expect(text.stdout).toContain('escalations:');
      expect(text.stdout).toContain('class auth 2 times in a row');
      expect(text.stdout).toMatch(/watch closeouts:\n {2}#\d+ W-AUTH-001 run \S+: FAILURE \(auth\), exit code 3/);
      expect(text.stdout).toContain('      | POST /realms/x/token: 401 Unauthorized');

      // A packet with a bad field is refused where it is wrong, before anything runs or is written.
      const stored = await project.json<Shown & { events: unknown[] }>(['task', 'show', 'W-AUTH'], env);
      const bad = writeWatcher(project, 'w/bad.yaml', {
        id: 'W-BAD',
        task_id: 'W-AUTH',
        expected_duration: 'soon',
        watch: { command: 'touch ran.marker' },
      });
      const refused = await project.packgate(['watch', 'run', bad], env);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(/w\/bad\.yaml:\d+(:\d+)?.*expected_duration/);
      expect(project.exists('ran.marker')).toBe(false);
      expect((await project.json(['task', 'show', 'W-AUTH'], env)).body, 'nothing written').toEqual(stored.body);

      // Queue health lists it too, as debt until someone answers it.
      const health = await project.json<{ report: QueueHealthReport }>(['queue', 'health'], env);
      expect(health.result.exitCode).toBe(1);
      const owed = health.body.report.tasks.find(t => t.id === 'W-AUTH')!;
      expect(owed.problems).toContainEqual({
        rule: 'escalation-unanswered',
        detail: expect.stringMatching(/^escalation #\d+ \(watch to C-ops\)/),
      });
    });
  });

test('a watched gate run that blocks is classified from its verdict, naming the blocking pack, with the verdict by digest', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-GATE', { ...EXAMPLE_ENV, TASK_ID: 'W-GATE' });
  const packet = writeWatcher(project, 'w/gate.yaml', {
    id: 'W-GATE-001',
    task_id: 'W-GATE',
    expected_duration: '3m',
    watch: { command: 'node node_modules/@playwright/test/cli.js test --project=local-api packs/auth-session/' },
  });
  const run = await project.json<{ closeout: WatchCloseout }>(['watch', 'run', packet], {
    PACKGATE_STACK_FAULTS: 'callback-unregistered',
  });
  expect(run.result.exitCode, run.result.stderr).toBe(1);
  expect(run.body.closeout).toMatchObject({
    status: 'failure',
    class: 'gate-blocked',
    verdict: 'BLOCKED',
    blockingPacks: ['auth-session'],
  });
  expect(run.body.closeout.lines[0]).toMatch(/^auth-session FAIL, \w/);
  expect(run.body.closeout.verdictDigest).toBe(sha256(fs.readFileSync(`${project.dir}/gate-results/verdict.json`)));
  // The gate recorded the watched run it ran under: that is how the watcher knows the verdict is its own.
  expect(JSON.parse(project.read('gate-results/verdict.json')).watchRun).toBe(run.body.closeout.run);
});

test('a job id is filled into the poll command as one shell word: data from a CI API never runs as code', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-JOB');
  const jobId = "pipeline 42; echo INJECTED; echo 'quoted'";
  const made = await project.packgate([
    'watch',
    'new',
    '--id',
    'W-JOB-001',
    '--task-id',
    'W-JOB',
    '--lane',
    'C-ops',
    '--expected-duration',
    '30s',
    '--job-id',
    jobId,
    '--poll-command',
    'printf "[%s]\\n" {job_id} "$WATCH_JOB_ID"',
  ]);
  expect(made.exitCode, made.output).toBe(0);
  const run = await project.packgate(['watch', 'run', '.packgate/watchers/W-JOB-001.yaml']);
  expect(run.exitCode, run.output).toBe(0);
  // One argument each, the job id as given: {job_id} and WATCH_JOB_ID alike.
  expect(run.stdout).toMatch(
    /^\[pipeline 42; echo INJECTED; echo 'quoted'\]\n\[pipeline 42; echo INJECTED; echo 'quoted'\]\n/,
  );
  expect(run.stdout).not.toMatch(/^INJECTED$/m);
});

test('coloured output and progress lines are classified and closed out as read; the stored log keeps what was printed', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-COLOR');
  const packet = writeWatcher(project, 'w/color.yaml', {
    id: 'W-COLOR-001',
    task_id: 'W-COLOR',
    watch: { command: "printf 'progress 10%%\\rprogress 100%%\\r\\033[31m  2 failed\\033[39m\\n'; exit 1" },
  });
  const run = await project.json<{ closeout: WatchCloseout }>(['watch', 'run', packet]);
  expect(run.result.exitCode, run.result.stderr).toBe(1);
  expect(run.body.closeout).toMatchObject({ status: 'failure', class: 'test-failure', lines: ['  2 failed'] });
  expect(project.read(run.body.closeout.logPath!)).toContain('\r\x1b[31m  2 failed\x1b[39m');
});

test('characters of several bytes split across pipe chunks are stored and matched as printed, not as U+FFFD', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-UTF8');
  // 900 kB of 3-byte characters: the pipe hands them over in chunks of 64 kB, which end inside one.
  const printed = `${'€'.repeat(300_000)}\nPreis: 401 Unauthorized für Ärzte ✓\n`;
  project.write({ 'out.txt': printed });
  const packet = writeWatcher(project, 'w/utf8.yaml', {
    id: 'W-UTF8-001',
    task_id: 'W-UTF8',
    failure: { classes: [{ name: 'auth', patterns: ['^€+$'] }] },
    watch: { command: 'cat out.txt; exit 1' },
  });
  const run = await project.json<{ closeout: WatchCloseout }>(['watch', 'run', packet]);
  expect(run.result.exitCode, run.result.stderr).toBe(1);
  const log = project.read(run.body.closeout.logPath!);
  expect(log.includes('\uFFFD')).toBe(false);
  expect(log).toBe(printed);
  expect(run.body.closeout.logDigest).toBe(sha256(printed));
  expect(run.body.closeout).toMatchObject({ status: 'failure', class: 'auth' });
});

test('a line of stdout broken by a line of stderr is stored whole, each after the other: a secret in it is not split past redaction', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-STREAMS');
  const token = 's3cr3tVALUE-0123456789abcdef';
  // stdout is block-buffered in a pipe: its chunks end mid-line (mid-character too) while stderr prints.
  const pause = 'sleep 0.3';
  const packet = writeWatcher(project, 'w/streams.yaml', {
    id: 'W-STREAMS-001',
    task_id: 'W-STREAMS',
    watch: {
      command: [
        'printf "using %s" "$(printf %s "$DEPLOY_TOKEN" | cut -c1-9)"',
        pause,
        'echo "a warning" >&2',
        pause,
        'printf "%s\\n" "$(printf %s "$DEPLOY_TOKEN" | cut -c10-)"',
        "printf 'price \\342'",
        pause,
        'echo x >&2',
        pause,
        "printf '\\202\\254 ok\\n'",
      ].join('; '),
    },
  });
  const run = await project.json<{ closeout: WatchCloseout }>(['watch', 'run', packet], { DEPLOY_TOKEN: token });
  expect(run.result.exitCode, run.result.stderr).toBe(0);
  // Before: "using s3cr3tVALa warning\nUE-0123456789abcdef\nprice \uFFFDx\n\uFFFD\uFFFD ok\n", the token in two halves.
  expect(project.read(run.body.closeout.logPath!)).toBe('a warning\nusing [REDACTED]\nx\nprice € ok\n');
});

test('a watch run ends at its closeout though a process that left its group (setsid) still holds the output pipes', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-DAEMON');
  const packet = writeWatcher(project, 'w/daemon.yaml', {
    id: 'W-DAEMON-001',
    task_id: 'W-DAEMON',
    // A daemon in a session of its own: the group kill does not reach it, and it keeps stdout and stderr open.
    // The command waits for the daemon's pid: by then it has left the group, which a busy machine may
    // not have got to before the command's end (the group kill then took it, and the test had no daemon).
    watch: {
      command:
        "setsid sh -c 'echo $$ > daemon.pid; exec sleep 600' & while [ ! -s daemon.pid ]; do sleep 0.05; done; echo started",
    },
  });
  // Before: closed out, then packgate stayed alive until the daemon ended (here: past the test's timeout).
  const run = await project.json<{ closeout: WatchCloseout }>(['watch', 'run', packet]);
  const daemon = Number(project.read('daemon.pid'));
  try {
    expect(run.result.exitCode, run.result.stderr).toBe(0);
    expect(run.body.closeout).toMatchObject({ status: 'success', exitCode: 0 });
    expect(project.read(run.body.closeout.logPath!)).toBe('started\n');
    expect(processGone(daemon), 'the daemon outlived the run: it was not waited for').toBe(false);
  } finally {
    process.kill(daemon, 'SIGKILL');
  }
});

test("a verdict.json another gate run writes while a command is watched does not decide the command's closeout", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-DEPLOY');
  // A concurrent gate run in the same checkout: one under no watcher, one under another watched run.
  const blocked = unjudgedVerdict({
    environment: 'local',
    env: { stage: 'dev', kind: 'embedded' },
    projects: ['local-api'],
    startedAt: new Date(),
    summary: 'blocked',
    why: 'auth-session FAIL',
  });
  project.write({
    'unwatched-verdict.json': JSON.stringify({ ...blocked, watchRun: undefined }),
    'other-watch-verdict.json': JSON.stringify({ ...blocked, watchRun: 'W-GATE-001-20261206T101500-a1b2c3' }),
  });
  for (const other of ['unwatched-verdict.json', 'other-watch-verdict.json']) {
    const packet = writeWatcher(project, 'w/deploy.yaml', {
      id: 'W-DEPLOY-OK',
      task_id: 'W-DEPLOY',
      watch: { command: `echo deploying; mkdir -p gate-results; cp ${other} gate-results/verdict.json; echo deployed` },
    });
    const run = await project.json<{ closeout: WatchCloseout }>(['watch', 'run', packet]);
    expect(run.result.exitCode, run.result.stderr).toBe(0);
    expect(run.body.closeout).toMatchObject({ status: 'success', class: null, verdict: null, verdictDigest: null });
  }
});

test('a watch run ends the session it opened when it closes out (success, failure, interrupted); a session it was given is left open', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-SESSION');
  const sessions = async () =>
    (await project.json<{ sessions: Array<{ id: string }> }>(['session', 'list'])).body.sessions.map(s => s.id);
  for (const [id, command] of [
    ['W-SESSION-OK', 'echo ok'],
    ['W-SESSION-FAIL', 'exit 3'],
  ] as const) {
    const packet = writeWatcher(project, `w/${id}.yaml`, { id, task_id: 'W-SESSION', watch: { command } });
    const run = await project.json<{ closeout: WatchCloseout }>(['watch', 'run', packet]);
    expect(run.body.closeout.session).toEqual(expect.any(String)); // the run still names who watched it
    expect(await sessions()).toEqual([]);
  }
  const stopped = writeWatcher(project, 'w/stopped.yaml', {
    id: 'W-SESSION-STOPPED',
    task_id: 'W-SESSION',
    watch: { command: 'echo started > started.txt; sleep 300' },
  });
  const { child, done } = project.temp.start([`${project.dir}/bin/packgate.js`, 'watch', 'run', stopped]);
  await expect.poll(() => project.exists('started.txt')).toBe(true);
  child.kill('SIGTERM');
  expect((await done).exitCode).toBe(143);
  expect(await sessions()).toEqual([]);

  // The caller's session (PACKGATE_SESSION, --session) is the caller's to end.
  const ok = 'w/W-SESSION-OK.yaml';
  expect((await project.packgate(['watch', 'run', ok], { PACKGATE_SESSION: 'caller-env' })).exitCode).toBe(0);
  expect((await project.packgate(['watch', 'run', ok, '--session', 'caller-flag'])).exitCode).toBe(0);
  expect(await sessions()).toEqual(['caller-env', 'caller-flag']);
});

test('a watch run that cannot start its command says why as a packgate error (exit 2, no stack) and still ends the session it opened', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-NO-START');
  // A file where the folder of watch logs goes: the log cannot be opened, so the command never starts.
  project.write({ '.packgate/watch-logs': 'not a folder\n' });
  const packet = writeWatcher(project, 'w/no-start.yaml', {
    id: 'W-NO-START-001',
    task_id: 'W-NO-START',
    watch: { command: 'touch ran.marker' },
  });
  const run = await project.packgate(['watch', 'run', packet]);
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toBe(
    'packgate: watcher W-NO-START-001 did not run its command: cannot create the folder of watch logs ' +
      '.packgate/watch-logs: a file is in the way\n' +
      '  hint: move or remove the file .packgate/watch-logs: watch run keeps the logs of its runs in ' +
      '.packgate/watch-logs/; nothing ran\n',
  );
  expect(project.exists('ran.marker')).toBe(false);
  const json = await project.json<{ ok: boolean; error: { code: string } }>(['watch', 'run', packet]);
  expect(json.result.exitCode, json.result.output).toBe(2);
  expect(json.body).toMatchObject({ ok: false, error: { code: 'WATCH_NOT_STARTED' } });
  const sessions = await project.json<{ sessions: Array<{ id: string }> }>(['session', 'list']);
  expect(sessions.body.sessions).toEqual([]);
});

test('a watch run that fails before its closeout records it failed: queue health does not count it as a run left open', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await watchTask(project, 'W-FAILED');
  project.write({ '.packgate/watch-logs': 'not a folder\n' });
  const packet = writeWatcher(project, 'w/failed.yaml', {
    id: 'W-FAILED-001',
    task_id: 'W-FAILED',
    watch: { command: 'true' },
  });
  const run = await project.packgate(['watch', 'run', packet]);
  expect(run.exitCode, run.output).toBe(2);

  const events = (
    await project.json<{ events: Array<{ kind: string; body: Record<string, unknown> }> }>(['task', 'show', 'W-FAILED'])
  ).body.events.filter(e => e.kind === 'watch');
  expect(events.map(e => e.body.phase)).toEqual(['started', 'failed']);
  expect(events[1].body).toEqual({
    phase: 'failed',
    run: events[0].body.run,
    session: events[0].body.session,
    error: expect.stringMatching(/^watcher W-FAILED-001 did not run its command: .*a file is in the way/),
  });
  // No closeout: nothing was watched, so a watch task still owes one; but the run is over, not abandoned.
  const shown = await project.json<{ closeouts: WatchCloseout[] }>(['watch', 'show', packet]);
  expect(shown.body.closeouts).toEqual([]);
  const health = await project.json<{ report: QueueHealthReport }>(['queue', 'health']);
  expect(health.body.report.tasks.find(t => t.id === 'W-FAILED')?.problems).toBeUndefined();
});

test('refused again for the same changes outside the allowed fixes: no second escalation, says since when; a new path is escalated', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await watchTask(project, 'W-DUP');
  const started = await project.json<{ workspace: { worktree: string } }>([
    'task',
    'start',
    'W-DUP',
    '--session',
    'worker-1',
  ]);
  expect(started.result.exitCode, started.result.stderr).toBe(0);
  fs.appendFileSync(`${started.body.workspace.worktree}/packgate.yaml`, '# changed by the worker\n');
  const watcher = writeWatcher(project, 'w/dup.yaml', {
    id: 'W-DUP-001',
    task_id: 'W-DUP',
    watch: { command: 'touch ran.marker' },
    allowed_fixes: ['docs/**'],
  });
  const refusal =
    'watcher W-DUP-001 did not run: task W-DUP changed packgate.yaml, outside its allowed fixes (docs/**)';
  const first = await project.packgate(['watch', 'run', watcher]);
  expect(first.exitCode, first.output).toBe(1);
  expect(first.stderr).toContain(`${refusal}; the task is escalated\n`);
  const escalations = async () =>
    (await project.json<Shown>(['task', 'show', 'W-DUP'])).body.escalations.filter(e => e.source === 'watch');
  const [open] = await escalations();
  for (let i = 0; i < 2; i++) {
    const again = await project.packgate(['watch', 'run', watcher]);
    expect(again.exitCode, again.output).toBe(1);
    expect(again.stderr).toContain(
      `${refusal}; the task is already escalated to C-ops on ${open.createdAt} (escalation #${open.id}, not answered yet)\n`,
    );
  }
  expect(await escalations()).toHaveLength(1);
  // A path the open escalation does not name is news to the lane: escalated again, naming it.
  fs.appendFileSync(`${started.body.workspace.worktree}/Makefile`, '# changed too\n');
  const wider = await project.packgate(['watch', 'run', watcher]);
  expect(wider.exitCode, wider.output).toBe(1);
  expect(wider.stderr).toContain(
    'watcher W-DUP-001 did not run: task W-DUP changed Makefile, packgate.yaml, outside its allowed fixes (docs/**); the task is escalated\n',
  );
  expect(await escalations()).toHaveLength(2);
});
