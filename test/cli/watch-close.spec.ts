import { expect } from '@playwright/test';
import type { Escalation } from '../../src/store/escalation-schema.ts';
import { sha256 } from '../../src/store/blobs.ts';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';
import { TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';
import { writeWatcher } from '../helpers/watch.ts';

test.describe.configure({ timeout: 120_000 });

for (const adapter of ['sqlite', 'postgres'] as const)
  test.describe(adapter, () => {
    test.use({ adapter });
    test(
      'watch close records a job watched by hand like a watched run: evidence redacted by digest, matching lines, escalation rules' +
        '; bad input writes nothing',
      async ({ storeLocation }, testInfo) => {
        const project = await TaskProject.create(testInfo, { git: false });
        // Every command of the test on the adapter's store: SQLite in the project, or a PostgreSQL database.
        if (storeLocation.kind === 'postgres')
          Object.assign(project.temp.env, { PACKGATE_STORE_URL: storeLocation.url });
        await project.examplePacket({ TASK_ID: 'W-HAND', TASK_KIND: 'watch' });
        const packet = writeWatcher(project, 'w/hand.yaml', {
          id: 'W-PIPELINE',
          task_id: 'W-HAND',
          watch: { job_id: 'pipeline-7', poll_command: 'ci wait {job_id}' },
          failure: { classes: [{ name: 'quota', patterns: ['quota exceeded for \\w+'] }] },
          escalation: [{ when: { class: 'quota', times: 2 }, escalate_to: 'D-platform-control', why: 'capacity' }],
        });
        const secret = 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789';
        project.write({ 'job.log': `step 1 ok\n${secret}\nerror: quota exceeded for project-a\n` });

        const first = await project.json<{ closeout: WatchCloseout; escalations: Escalation[] }>([
          'watch',
          'close',
          packet,
          '--status',
          'failure',
          '--evidence',
          'job.log',
          '--exit-code',
          '1',
        ]);
        expect(first.result.exitCode, first.result.stderr).toBe(0);
        expect(first.body.closeout).toMatchObject({
          taskId: 'W-HAND',
          watcher: 'W-PIPELINE',
          source: 'hand',
          status: 'failure',
          class: 'quota',
          lines: ['error: quota exceeded for project-a'],
          exitCode: 1,
          run: expect.stringMatching(/^hand-/),
        });
        // The evidence as stored: a file beside the SQLite store (relative to the root, as a watched run's
        // log is), or a row of PostgreSQL's (sha256:<digest>).
        const redacted = 'step 1 ok\nAuthorization: Bearer [REDACTED]\nerror: quota exceeded for project-a\n';
        const digest = sha256(redacted);
        const stored =
          adapter === 'sqlite' ? `.packgate/evidence/sha256/${digest.slice(0, 2)}/${digest}` : `sha256:${digest}`;
        expect(first.body.closeout.logPath).toBe(stored);
        if (adapter === 'sqlite') expect(project.read(stored)).toBe(redacted);
        expect(first.body.closeout.logDigest).toBe(digest);
        expect(first.body.escalations).toEqual([]);

        // The evidence given by its absolute path: stored the same.
        const second = await project.packgate([
          'watch',
          'close',
          packet,
          '--status',
          'failure',
          '--evidence',
          `${project.dir}/job.log`,
        ]);
        expect(second.exitCode).toBe(0);
        expect(second.stdout).toContain(`      log sha256:${digest} ${stored}\n`);
        expect(second.stdout).toContain('closed out by hand: failure (quota)');
        expect(second.stdout).toContain(
          'escalated to D-platform-control: watcher W-PIPELINE: class quota 2 times in a row: capacity',
        );

        // By task id, with the class given: the project's patterns are not needed.
        const byTask = await project.json<{ closeout: WatchCloseout }>([
          'watch',
          'close',
          'W-HAND',
          '--status',
          'timeout',
          '--class',
          'infrastructure',
          '--evidence',
          'job.log',
        ]);
        expect(byTask.body.closeout).toMatchObject({
          watcher: 'hand',
          status: 'timeout',
          class: 'infrastructure',
          lines: [],
        });

        const recorded = async () => [project.storeSnapshot(), (await project.json(['task', 'show', 'W-HAND'])).body];
        const before = await recorded();
        const badStatus = await project.packgate([
          'watch',
          'close',
          'W-HAND',
          '--status',
          'exploded',
          '--evidence',
          'job.log',
        ]);
        expect(badStatus.exitCode).toBe(2);
        expect(badStatus.stderr).toContain(
          '--status "exploded" is not a status\n  hint: one of: success, failure, timeout, crash, interrupted',
        );
        // A misspelt status: the one it is near, then the statuses (before: the statuses alone).
        const misspelt = await project.packgate([
          'watch',
          'close',
          'W-HAND',
          '--status',
          'sucess',
          '--evidence',
          'job.log',
        ]);
        expect(misspelt.stderr).toContain(
          '--status "sucess" is not a status\n  hint: did you mean "success"? one of: success, failure, timeout, crash, interrupted',
        );
        expect(misspelt.exitCode).toBe(2);
        const noEvidence = await project.packgate([
          'watch',
          'close',
          'W-HAND',
          '--status',
          'failure',
          '--evidence',
          'nope.log',
        ]);
        expect(noEvidence.exitCode).toBe(2);
        expect(noEvidence.stderr).toBe(
          'packgate: evidence nope.log: no such file\n  hint: give the log or report of the job watched by hand\n',
        );
        const noTask = await project.packgate([
          'watch',
          'close',
          'NO-TASK',
          '--status',
          'failure',
          '--evidence',
          'job.log',
        ]);
        expect(noTask.exitCode).toBe(2);
        project.write({ 'w/broken.yaml': 'schema_version: 1\nid: W-B\ntask_id: W-HAND\nlane: C-ops\nwatch: {}\n' });
        const badPacket = await project.packgate([
          'watch',
          'close',
          'w/broken.yaml',
          '--status',
          'failure',
          '--evidence',
          'job.log',
        ]);
        expect(badPacket.exitCode).toBe(2);
        expect(badPacket.stderr).toMatch(/watcher packet w\/broken\.yaml does not pass/);
        expect(badPacket.stderr).toMatch(/w\/broken\.yaml:\d+:\d+/);
        expect(await recorded()).toEqual(before);
      },
    );
  });
