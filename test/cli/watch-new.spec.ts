import { expect } from '@playwright/test';
import { parse } from 'yaml';
import { TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';

test.describe.configure({ timeout: 120_000 });

for (const adapter of ['sqlite', 'postgres'] as const)
  test.describe(adapter, () => {
    test.use({ adapter });
    test(
      'watch new writes a watcher packet from env vars and flags' +
        '; an incomplete or unknown one is refused with every problem, nothing written',
      async ({ storeLocation }, testInfo) => {
        const project = await TaskProject.create(testInfo, { git: false });
        // Every command of the test on the adapter's store: SQLite in the project, or a PostgreSQL database.
        if (storeLocation.kind === 'postgres')
          Object.assign(project.temp.env, { PACKGATE_STORE_URL: storeLocation.url });
        await project.examplePacket({ TASK_ID: 'W-DEPLOY', TASK_KIND: 'watch' });

        const made = await project.packgate(
          [
            'watch',
            'new',
            '--failure',
            'auth=401 Unauthorized',
            '--failure',
            'auth=invalid_grant',
            '--escalate',
            'auth x2 -> C-ops: credentials rotated?',
          ],
          {
            WATCH_ID: 'W-DEPLOY-001',
            TASK_ID: 'W-DEPLOY',
            OWNER_LANE: 'C-ops',
            WATCH_COMMAND: 'make deploy ENV=demo',
            WATCH_EXPECTED_DURATION: '15m',
            WATCH_ALLOWED_FIXES: 'environments/demo.yaml;.ci/**',
          },
        );
        expect(made.stderr).toBe('');
        expect(made.stdout).toContain('watcher packet written: .packgate/watchers/W-DEPLOY-001.yaml\n');
        expect(made.exitCode).toBe(0);
        const text = project.read('.packgate/watchers/W-DEPLOY-001.yaml');
        expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/watch-packet\.schema\.json\n/);
        expect(parse(text)).toEqual({
          schema_version: 1,
          id: 'W-DEPLOY-001',
          task_id: 'W-DEPLOY',
          lane: 'C-ops',
          watch: { command: 'make deploy ENV=demo' },
          expected_duration: '15m',
          success: { exit_code: 0, verdicts: ['PASS', 'PASS_WITH_WARNINGS'] },
          failure: { classes: [{ name: 'auth', patterns: ['401 Unauthorized', 'invalid_grant'] }] },
          allowed_fixes: ['environments/demo.yaml', '.ci/**'],
          escalation: [
            { when: { class: 'auth', times: 2, consecutive: true }, escalate_to: 'C-ops', why: 'credentials rotated?' },
          ],
        });

        const before = project.storeSnapshot();
        const empty = await project.json(['watch', 'new']);
        expect(empty.result.exitCode).toBe(2);
        expect(empty.body).toMatchObject({ ok: false, error: { code: 'WATCH_PACKET_INVALID' } });
        const message = (empty.body as { error: { message: string } }).error.message;
        for (const field of ['id', 'task_id', 'lane', 'watch', 'expected_duration'])
          expect(message).toContain(`\n  ${field}: missing`);
        expect(message).toContain('(5 errors)');
        // Each problem is also a diagnostic, as packet check and lint give them: in the packet it was to write.
        const { diagnostics } = (empty.body as { error: { diagnostics: unknown[] } }).error;
        expect(diagnostics).toHaveLength(5);
        expect(diagnostics[0]).toEqual({
          severity: 'error',
          rule: 'missing-field',
          file: '.packgate/watchers/watcher.yaml',
          line: 1,
          col: 1,
          path: 'id',
          message: 'missing',
          hint: 'give --id (WATCH_ID)',
        });

        const wrongArgs = [
          'watch',
          'new',
          '--id',
          'W-2',
          '--task-id',
          'NO-SUCH-TASK',
          '--lane',
          'C-opz',
          '--command',
          'true',
          '--job-id',
          'j1',
          '--expected-duration',
          'soon',
          '--escalate',
          'auth x2 -> Q-gat',
        ];
        const wrong = await project.packgate(wrongArgs);
        expect(wrong.exitCode).toBe(2);
        expect(wrong.stderr).toContain('  watch: a command and a job both given');
        expect(wrong.stderr).toContain(
          '  expected_duration: must be a duration like "90s", "15m", "2h", "1d" or seconds',
        );
        expect(wrong.stderr).toContain('  lane: unknown lane "C-opz"\n    hint: did you mean "C-ops"?');
        expect(wrong.stderr).toContain(
          '  escalation: unknown lane "Q-gat" to escalate to\n    hint: did you mean "Q-gate"?',
        );
        expect(wrong.stderr).toContain('  task_id: unknown task "NO-SUCH-TASK"\n    hint: record it first');
        const wrongJson = await project.json(wrongArgs);
        expect(wrongJson.body).toMatchObject({ ok: false, error: { code: 'WATCH_PACKET_INVALID' } });
        expect((wrongJson.body as { error: { diagnostics: unknown[] } }).error.diagnostics).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              rule: 'watch-reference',
              file: '.packgate/watchers/W-2.yaml',
              path: 'lane',
              message: 'unknown lane "C-opz"',
              hint: 'did you mean "C-ops"?',
            }),
            expect.objectContaining({
              rule: 'watch-reference',
              path: 'task_id',
              message: 'unknown task "NO-SUCH-TASK"',
            }),
            expect.objectContaining({ rule: 'schema', path: 'expected_duration' }),
          ]),
        );
        expect(project.exists('.packgate/watchers/W-2.yaml')).toBe(false);
        expect(project.storeSnapshot()).toEqual(before);

        // A typo of a recorded task is named, as every command that takes a task id names it (before:
        // only 'record it first: packgate packet new --task-id W-DEPLY ...').
        const typo = await project.packgate([
          'watch',
          'new',
          '--id',
          'W-2',
          '--task-id',
          'W-DEPLY',
          '--lane',
          'C-ops',
          '--command',
          'true',
          '--expected-duration',
          '15m',
        ]);
        expect(typo.exitCode).toBe(2);
        expect(typo.stderr).toContain(
          '  task_id: unknown task "W-DEPLY"\n    hint: did you mean "W-DEPLOY"? ' +
            '(a new task is recorded first: packgate packet new --task-id W-DEPLY --kind watch ...)\n',
        );
        expect(project.storeSnapshot()).toEqual(before);

        const job = await project.packgate([
          'watch',
          'new',
          '--id',
          'W-JOB',
          '--task-id',
          'W-DEPLOY',
          '--lane',
          'C-ops',
          '--job-id',
          'pipeline-42',
          '--poll-command',
          'ci wait {job_id}',
          '--expected-duration',
          '90',
          '--out',
          'watchers/job.yaml',
        ]);
        expect(job.exitCode, job.output).toBe(0);
        expect(parse(project.read('watchers/job.yaml'))).toMatchObject({
          watch: { job_id: 'pipeline-42', poll_command: 'ci wait {job_id}' },
          expected_duration: 90,
        });
      },
    );
  });

test('watch new refuses to overwrite a watcher packet that exists (exit 2, nothing written); --force replaces it', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-TWICE', TASK_KIND: 'watch' });
  const flags = ['--id', 'W-TWICE-001', '--task-id', 'W-TWICE', '--lane', 'C-ops', '--expected-duration', '30s'];
  const file = '.packgate/watchers/W-TWICE-001.yaml';
  expect((await project.packgate(['watch', 'new', ...flags, '--command', 'make deploy'])).exitCode).toBe(0);
  const first = project.read(file);

  const again = await project.packgate(['watch', 'new', ...flags, '--command', 'make other']);
  expect(again.exitCode, again.output).toBe(2);
  expect(again.stderr).toBe(
    `packgate: watcher packet ${file} exists already\n` +
      '  hint: pass --force to replace it, or choose another --id or --out; nothing was written\n',
  );
  expect(project.read(file)).toBe(first);
  const json = await project.json(['watch', 'new', ...flags, '--command', 'make other']);
  expect(json.result.exitCode).toBe(2);
  expect(json.body).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  expect(project.read(file)).toBe(first);

  // Where --out points, the same.
  project.write({ 'w/mine.yaml': 'my notes\n' });
  const out = await project.packgate(['watch', 'new', ...flags, '--command', 'make other', '--out', 'w/mine.yaml']);
  expect(out.exitCode, out.output).toBe(2);
  expect(out.stderr).toContain('watcher packet w/mine.yaml exists already');
  expect(project.read('w/mine.yaml')).toBe('my notes\n');

  const forced = await project.packgate(['watch', 'new', ...flags, '--command', 'make other', '--force']);
  expect(forced.exitCode, forced.output).toBe(0);
  expect(forced.stdout).toContain(`watcher packet replaced: ${file}`);
  expect(parse(project.read(file))).toMatchObject({ watch: { command: 'make other' } });
});
