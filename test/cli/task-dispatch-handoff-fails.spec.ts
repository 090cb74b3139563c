import path from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';
import { TaskProject } from '../helpers/task-project.ts';

test.describe.configure({ timeout: 180_000 });

type Shown = {
  task: { state: string; holder: { session: string } | null };
  transitions: Array<{ from: string | null; to: string; reason: string }>;
};

/** A worker that does its work and proves the task's one acceptance item with it: its handoff would be complete. */
const WORK = `set -e
echo "notes by the provider" > packs/auth-session/NOTES.md
node bin/packgate.js task prove "$TASK_ID" --item 1 --file packs/auth-session/NOTES.md
`;

async function dispatchable(project: TaskProject, id: string): Promise<void> {
  await project.examplePacket({ TASK_ID: id });
  const file = `.packgate/packets/${id}.yaml`;
  const packet = parse(project.read(file));
  packet.acceptance = ['the provider leaves its notes in the pack'];
  project.write({ [file]: stringify(packet) });
  const attached = await project.packgate(['packet', 'attach', file]);
  expect(attached.exitCode, attached.output).toBe(0);
}

// Before: the task stayed in progress, held by the worker's session, and the session stayed in
// `session list`, with nobody left to work under it or heartbeat it.
test('a dispatch whose handoff fails mid-way (a store error) gives the task back and ends the worker session, as a failed start does', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const governance = parse(project.read('governance.yaml'));
  governance.watch.providers = { works: { command: 'sh tools/work.sh', expected_duration: '2m' } };
  project.write({ 'governance.yaml': stringify(governance), 'tools/work.sh': WORK });
  project.git(['init', '-q', '-b', 'main']);
  project.commitAll('the project, with a provider');
  await dispatchable(project, 'T-STORE');
  // The store refuses the handoff's move to in_review: its document is stored, the move is not.
  const db = new Database(path.join(project.dir, '.packgate/queue.db'));
  db.exec(`CREATE TRIGGER fail_handoff BEFORE INSERT ON transitions WHEN NEW.to_state = 'in_review'
           BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
  db.close();

  const dispatched = await project.packgate(['task', 'dispatch', 'T-STORE', '--provider', 'works']);
  // Which store failed, in its words, and what became of the task, not Node's stack trace (exit 1) as before.
  expect(dispatched.stderr).toBe(
    `packgate: cannot write to the queue store ${path.join(project.dir, '.packgate/queue.db')}: disk I/O error (SQLITE_CONSTRAINT_TRIGGER)\n` +
      '  hint: the database refused what packgate asked (SQLITE_CONSTRAINT_TRIGGER): unless something else changes ' +
      'this store (a trigger, a hand edit), this is a bug in packgate; PACKGATE_DEBUG=stack shows where it was asked; ' +
      "task T-STORE is back in ready; the provider's work stays in .packgate/worktrees/T-STORE: " +
      'packgate task start T-STORE resumes there, then hand it off (packgate handoff --task T-STORE)\n',
  );
  expect(dispatched.exitCode).toBe(2);
  const shown = await project.json<Shown>(['task', 'show', 'T-STORE']);
  expect(shown.body.task).toMatchObject({ state: 'ready', holder: null });
  expect(shown.body.transitions.at(-1)).toMatchObject({
    from: 'in_progress',
    to: 'ready',
    reason: expect.stringMatching(
      /^dispatch to works failed at its handoff, after closeout #\d+: cannot write to the queue store \S+: disk I\/O error/,
    ),
  });
  const sessions = await project.json<{ sessions: unknown[] }>(['session', 'list']);
  expect(sessions.body.sessions).toEqual([]);
  // The work is where the provider left it, for the task's next start to resume.
  expect(project.read('.packgate/worktrees/T-STORE/packs/auth-session/NOTES.md')).toBe('notes by the provider\n');
});

// Before: 'dispatch to works failed before its closeout: git diff ...', though the run had closed out
// (its closeout recorded, listed by task show); and the hint did not say where the provider's work is.
test('a dispatch whose git fails after the closeout, before the handoff, says so: after closeout #n, the work kept where it is', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const governance = parse(project.read('governance.yaml'));
  // The provider works, then points its worktree's .git at nothing: git fails from then on.
  governance.watch.providers = {
    works: { command: "sh tools/work.sh && echo 'gitdir: /nonexistent' > .git", expected_duration: '2m' },
  };
  project.write({ 'governance.yaml': stringify(governance), 'tools/work.sh': WORK });
  project.git(['init', '-q', '-b', 'main']);
  project.commitAll('the project, with a provider');
  await dispatchable(project, 'T-GIT');

  const dispatched = await project.packgate(['task', 'dispatch', 'T-GIT', '--provider', 'works']);
  expect(dispatched.stderr).toMatch(/^packgate: git \S+ .*failed in \S+\/\.packgate\/worktrees\/T-GIT: /);
  expect(dispatched.stderr).toContain(
    "task T-GIT is back in ready; the provider's work stays in .packgate/worktrees/T-GIT: " +
      'packgate task start T-GIT resumes there, then hand it off (packgate handoff --task T-GIT)\n',
  );
  expect(dispatched.exitCode).toBe(2);
  const shown = await project.json<Shown & { watchCloseouts: Array<{ id: number; status: string }> }>([
    'task',
    'show',
    'T-GIT',
  ]);
  expect(shown.body.watchCloseouts).toMatchObject([{ status: 'success' }]);
  expect(shown.body.task).toMatchObject({ state: 'ready', holder: null });
  expect(shown.body.transitions.at(-1)).toMatchObject({
    from: 'in_progress',
    to: 'ready',
    reason: expect.stringMatching(
      new RegExp(
        `^dispatch to works failed after closeout #${shown.body.watchCloseouts[0].id}, before its handoff: git `,
      ),
    ),
  });
  expect((await project.json<{ sessions: unknown[] }>(['session', 'list'])).body.sessions).toEqual([]);
});
