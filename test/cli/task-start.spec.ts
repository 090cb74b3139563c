import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import type { Handoff } from '../../src/loop/handoff-schema.ts';
import { EXAMPLE_ENV, EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

test('task start claims the task and makes its worktree and branch with the packet inside', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  const { result, body } = await project.json<{
    session: string;
    workspace: { worktree: string; branch: string; base: string };
  }>(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1']);
  expect(result.exitCode).toBe(0);
  const worktree = `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`;
  expect(body).toMatchObject({
    ok: true,
    session: 'agent-1',
    workspace: { worktree, branch: `task/${EXAMPLE_TASK}`, base: project.git(['rev-parse', 'HEAD']).trim() },
  });
  expect(project.git(['branch', '--show-current'], worktree).trim()).toBe(`task/${EXAMPLE_TASK}`);
  expect(parse(fs.readFileSync(`${worktree}/.packgate/packet.yaml`, 'utf8'))).toMatchObject({
    task_id: EXAMPLE_TASK,
    workflow_regression_pack: 'auth-session',
  });
  expect(JSON.parse(fs.readFileSync(`${worktree}/.packgate/task.json`, 'utf8'))).toMatchObject({
    taskId: EXAMPLE_TASK,
    session: 'agent-1',
    store: { kind: 'sqlite', path: `${project.dir}/.packgate/queue.db` },
  });
  // The worktree's own commands reach the checkout's store.
  const list = await project.packgate(['task', 'list'], {}, worktree);
  expect(list.stdout).toContain(`${EXAMPLE_TASK}  in_progress  C-ops  agent-1`);
  // Nothing of the worktree shows in the main checkout.
  expect(project.git(['status', '--porcelain'])).toBe('');
});

test('a second session cannot start a held task: exit 1, nothing changes', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  const before = project.storeSnapshot();
  const second = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-2']);
  expect(second.stderr).toMatch(
    new RegExp(
      `^packgate: task ${EXAMPLE_TASK} is held by session agent-1 since \\S+ \\(last heartbeat \\S+\\)\\n  hint: pick another task`,
    ),
  );
  expect(second.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);

  // Started again from a new shell, no session given (the hold is likely the person's own): how to give
  // it or carry on in its worktree, in the words task release uses for the same hold. Before: no --session.
  const again = await project.packgate(['task', 'start', EXAMPLE_TASK]);
  expect(again.stderr).toMatch(
    new RegExp(`^packgate: task ${EXAMPLE_TASK} is held by session agent-1 since \\S+ \\(last heartbeat \\S+\\)\\n`),
  );
  expect(again.stderr).toContain(
    "  hint: no session was given (--session, PACKGATE_SESSION, or run it in the task's worktree): if the hold is yours, " +
      `give it (--session agent-1), or carry on as it: cd ${project.dir}/.packgate/worktrees/${EXAMPLE_TASK} && ` +
      `export PACKGATE_SESSION=agent-1 TASK_ID=${EXAMPLE_TASK}; ` +
      'else pick another task (packgate task next), or wait until that hold is released or stale\n',
  );
  expect(again.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);
  // Released from that new shell: the same words of how to go on as the hold's session, its worktree's cd too.
  const release = await project.packgate(['task', 'release', EXAMPLE_TASK, '--reason', 'mine']);
  expect(release.stderr).toContain(
    `if the hold is yours, give it (--session agent-1), or carry on as it: cd ${project.dir}/.packgate/worktrees/${EXAMPLE_TASK} && ` +
      `export PACKGATE_SESSION=agent-1 TASK_ID=${EXAMPLE_TASK}; else wait until the hold is stale, or pass --force with a reason\n`,
  );
  expect(release.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);
});

test('the same session starting again is told it already holds the task', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1']);
  const again = await project.packgate(['task', 'start', EXAMPLE_TASK], { PACKGATE_SESSION: 'agent-1' });
  expect(again.stdout).toContain(`task ${EXAMPLE_TASK} is already held by your session agent-1`);
  expect(again.exitCode).toBe(0);
});

test('the holding session starting again gets a worktree that was removed back, on its branch with its commits', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1']);
  const worktree = `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`;
  project.write({ 'work.txt': 'done\n' }, worktree);
  project.commitAll('the work', worktree);
  const work = project.git(['rev-parse', 'HEAD'], worktree).trim();
  fs.rmSync(worktree, { recursive: true, force: true });
  const before = project.storeSnapshot();

  const again = await project.packgate(['task', 'start', EXAMPLE_TASK], { PACKGATE_SESSION: 'agent-1' });
  expect(again.stdout).toContain(
    `task ${EXAMPLE_TASK} is already held by your session agent-1: its worktree was gone, and is made again on its branch`,
  );
  expect(again.stdout).toContain(`cd ${worktree} && export PACKGATE_SESSION=agent-1 TASK_ID=${EXAMPLE_TASK}`);
  expect(again.exitCode).toBe(0);
  expect(project.git(['branch', '--show-current'], worktree).trim()).toBe(`task/${EXAMPLE_TASK}`);
  expect(project.git(['rev-parse', 'HEAD'], worktree).trim()).toBe(work);
  expect(fs.existsSync(`${worktree}/.packgate/packet.yaml`)).toBe(true);
  expect(JSON.parse(fs.readFileSync(`${worktree}/.packgate/task.json`, 'utf8'))).toMatchObject({ session: 'agent-1' });
  expect(project.storeSnapshot()).toEqual(before);
  // The worktree's own commands work again (before, every one was refused: its worktree is gone).
  const drift = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(drift.stderr).not.toContain('is gone');
});

test('a packet that no longer passes stops the start: exit 2, nothing written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  // The lane renamed, its review routes with it (a route to a lane that does not exist is refused).
  const renamed = project.read('governance.yaml').replace('  C-ops:', '  C-release:');
  project.write({ 'governance.yaml': renamed.replaceAll('lane: C-ops', 'lane: C-release') });
  const before = project.storeSnapshot();
  const result = await project.packgate(['task', 'start', EXAMPLE_TASK]);
  expect(result.stderr).toContain(`packgate: the packet of task ${EXAMPLE_TASK} does not pass (1 error in 1 file):`);
  expect(result.stderr).toContain('owner_lane: lane "C-ops" is not in governance.yaml');
  expect(result.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
  expect(project.exists(`.packgate/worktrees/${EXAMPLE_TASK}`)).toBe(false);
});

test('a task without a packet cannot start', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  project.sql(
    `INSERT INTO tasks (id, title, state, created_at, created_by, updated_at) VALUES ('IDEA-1', 'an idea', 'proposed', 'x', 'x', 'x')`,
  );
  const before = project.storeSnapshot();
  const result = await project.packgate(['task', 'start', 'IDEA-1']);
  expect(result.stderr).toBe(
    'packgate: task IDEA-1 has no packet\n  hint: write one: packgate packet new --task-id IDEA-1 ... (or packet attach <file>)\n',
  );
  expect(result.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('outside a git repository: refused with a hint, or claimed without a worktree on request', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const refused = await project.packgate(['task', 'start', EXAMPLE_TASK]);
  expect(refused.stderr).toContain(
    'is not in a git repository that tracks its packgate.yaml: a task gets a worktree of one',
  );
  expect(refused.exitCode).toBe(2);
  const claimed = await project.packgate(['task', 'start', EXAMPLE_TASK, '--no-worktree', '--session', 's']);
  expect(claimed.stdout).toContain(`task ${EXAMPLE_TASK} started: in_progress, held by session s`);
  expect(claimed.exitCode).toBe(0);
});

test('an unknown task and an unknown base are bad input', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  const unknown = await project.packgate(['task', 'start', 'NOPE']);
  expect(unknown.stderr).toBe(
    'packgate: no task NOPE in the queue store\n  hint: list tasks with: packgate task list\n',
  );
  expect(unknown.exitCode).toBe(2);
  const before = project.storeSnapshot();
  const base = await project.packgate(['task', 'start', EXAMPLE_TASK, '--base', 'no-such-branch']);
  expect(base.stderr).toContain('"no-such-branch" is not a commit');
  expect(base.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('what task start adds stays out of git where the repository ignores none of it: drift and handoff see only the work', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  // A repository that ignores neither .packgate/ nor a node_modules link (`node_modules/` matches folders only).
  project.write({ '.gitignore': project.read('.gitignore').replace('.packgate/\n', '') });
  project.commitAll('ignore less');
  await project.examplePacket();
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  const worktree = `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`;
  expect(fs.lstatSync(`${worktree}/node_modules`).isSymbolicLink()).toBe(true);
  expect(project.git(['status', '--porcelain', '--untracked-files=all'], worktree)).toBe('');
  expect(project.git(['status', '--porcelain'])).toBe('');

  project.write({ 'packs/auth-session/plan.md': 'the plan\n' }, worktree);
  const drift = await project.json<{ clean: boolean; changes: Array<{ path: string }>; proposed: unknown[] }>([
    'drift',
    '--task',
    EXAMPLE_TASK,
  ]);
  expect(drift.body).toMatchObject({ clean: true, changes: [{ path: 'packs/auth-session/plan.md' }], proposed: [] });
  expect(drift.result.exitCode).toBe(0);
  const handoff = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run', '--json'], {}, worktree);
  const { filesChanged, missing } = (JSON.parse(handoff.stdout) as { handoff: Handoff }).handoff;
  expect(filesChanged.map(f => f.path)).toEqual(['packs/auth-session/plan.md']);
  expect(missing.filter(m => m.includes('outside the packet'))).toEqual([]);
});

test('a project in a subfolder of its repository: the task works in that folder of its worktree; a change beside it escalates', async ({}, testInfo) => {
  // A monorepo: the packgate project is e2e/, beside the product's own code in app/.
  const project = await TaskProject.create(testInfo, { git: false });
  const e2e = path.join(project.dir, 'e2e');
  const entries = fs.readdirSync(project.dir);
  fs.mkdirSync(e2e);
  for (const entry of entries) fs.renameSync(path.join(project.dir, entry), path.join(e2e, entry));
  project.write({ 'app/main.go': 'package main\n' });
  project.git(['init', '-q', '-b', 'main']);
  project.commitAll('the product and its gate');
  expect((await project.packgate(['packet', 'new'], EXAMPLE_ENV, e2e)).exitCode).toBe(0);

  const start = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1', '--json'], {}, e2e);
  expect(start.exitCode, start.output).toBe(0);
  const top = `${e2e}/.packgate/worktrees/${EXAMPLE_TASK}`;
  const worktree = `${top}/e2e`;
  expect(JSON.parse(start.stdout)).toMatchObject({ workspace: { worktree } });
  // The packet, the pointer and the dependencies are where the project's commands run.
  expect(parse(fs.readFileSync(`${worktree}/.packgate/packet.yaml`, 'utf8'))).toMatchObject({ task_id: EXAMPLE_TASK });
  expect(fs.existsSync(`${worktree}/.packgate/task.json`)).toBe(true);
  expect(fs.lstatSync(`${worktree}/node_modules`).isSymbolicLink()).toBe(true);
  expect(fs.existsSync(`${top}/.packgate`) || fs.existsSync(`${top}/node_modules`)).toBe(false);
  expect(project.git(['status', '--porcelain', '--untracked-files=all'], top)).toBe('');

  // Paths are the packet's, relative to the project; one beside it is outside every packet.
  project.write(
    { 'packs/auth-session/plan.md': 'the plan\n', '../app/main.go': 'package main // changed\n' },
    worktree,
  );
  const drift = await project.packgate(['drift', '--task', EXAMPLE_TASK, '--json'], {}, worktree);
  const body = JSON.parse(drift.stdout) as {
    changes: Array<{ path: string; rule: number; kind: string }>;
    escalation: { crossed: Array<{ path: string; kind: string; boundary: string }> };
  };
  expect(body.changes.map(({ path, rule, kind }) => ({ path, rule, kind }))).toEqual([
    { path: '../app/main.go', rule: 2, kind: 'outside-project' },
    { path: 'packs/auth-session/plan.md', rule: 1, kind: 'owned' },
  ]);
  expect(body.escalation.crossed).toEqual([
    { path: '../app/main.go', kind: 'outside-project', boundary: "the project's folder (e2e/)", lane: null },
  ]);
  expect(drift.exitCode).toBe(1);
});

test('a task whose dependencies are not done is refused, exit 1, naming them; --force with a reason starts it on the record', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  await project.examplePacket({
    TASK_ID: 'BASE-1',
    GOAL: 'the groundwork',
    PACKET_FILE: '.packgate/packets/BASE-1.yaml',
  });
  expect((await project.packgate(['task', 'depend', EXAMPLE_TASK, '--on', 'BASE-1'])).exitCode).toBe(0);
  const before = project.storeSnapshot();

  const refused = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1']);
  expect(refused.stderr).toBe(
    `packgate: task ${EXAMPLE_TASK} depends on tasks that are not done: BASE-1 (ready)\n` +
      '  hint: finish those first (packgate task next lists what can start now), ' +
      `or start it anyway: packgate task start ${EXAMPLE_TASK} --force --reason "<why>"\n`,
  );
  expect(refused.exitCode).toBe(1);
  const noReason = await project.packgate(['task', 'start', EXAMPLE_TASK, '--force']);
  expect(noReason.stderr).toContain('packgate: --force needs --reason');
  expect(noReason.exitCode).toBe(2);
  const reasonAlone = await project.packgate(['task', 'start', EXAMPLE_TASK, '--reason', 'why not']);
  expect(reasonAlone.stderr).toContain('packgate: --reason goes with --force');
  expect(reasonAlone.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
  expect(project.exists(`.packgate/worktrees/${EXAMPLE_TASK}`)).toBe(false);

  const forced = await project.packgate([
    'task',
    'start',
    EXAMPLE_TASK,
    '--session',
    'agent-1',
    '--force',
    '--reason',
    'BASE-1 only renames a file this task does not touch',
  ]);
  expect(forced.exitCode, forced.output).toBe(0);
  const { body } = await project.json<{
    task: { state: string };
    events: Array<{ kind: string; actor: string; body: unknown }>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.task.state).toBe('in_progress');
  expect(body.events.filter(e => e.kind === 'override')).toEqual([
    {
      ...body.events.find(e => e.kind === 'override'),
      actor: 'tester',
      body: {
        check: 'dependencies done',
        open: [{ task: 'BASE-1', state: 'ready' }],
        reason: 'BASE-1 only renames a file this task does not touch',
      },
    },
  ]);
});

test('resumed from inside its own worktree after an escalation: the same worktree and base, in progress again', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  const first = await project.json<{ workspace: { worktree: string; base: string } }>([
    'task',
    'start',
    EXAMPLE_TASK,
    '--session',
    'agent-1',
  ]);
  const { worktree, base } = first.body.workspace;
  project.write({ 'src/extra.ts': '// touched\n' }, worktree);
  project.commitAll('a change the packet forbids', worktree);
  expect((await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree)).exitCode).toBe(1);
  // The owning lane decides; the worker reverts the change and picks the task up again where it is.
  project.git(['revert', '--no-edit', 'HEAD'], worktree);

  const resumed = await project.packgate(['task', 'start', EXAMPLE_TASK, '--json'], {}, worktree);
  expect(resumed.exitCode, resumed.output).toBe(0);
  expect(JSON.parse(resumed.stdout)).toMatchObject({
    session: 'agent-1',
    workspace: { worktree, branch: `task/${EXAMPLE_TASK}`, base },
  });
  expect(fs.existsSync(`${worktree}/.packgate/worktrees`)).toBe(false);
  const { body } = await project.json<{
    task: { state: string; holder: { session: string }; workspace: { worktree: string; base: string } };
    transitions: Array<{ from: string; to: string }>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.task).toMatchObject({
    state: 'in_progress',
    holder: { session: 'agent-1' },
    workspace: { worktree, base },
  });
  expect(body.transitions.map(t => `${t.from}->${t.to}`).slice(-2)).toEqual([
    'in_progress->escalated',
    'escalated->in_progress',
  ]);
  const drift = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(drift.stdout).toContain(`since ${base.slice(0, 12)}: 0 changed files, all inside the packet`);
  expect(drift.exitCode).toBe(0);
});

test('a start that fails after its claim gives the task back to the state it was in', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  await project.packgate(['task', 'move', EXAMPLE_TASK, 'blocked', '--reason', 'waiting for a decision']);
  // Where the worktrees go is a file: git cannot make the worktree after the claim.
  project.write({ '.packgate/worktrees': 'not a folder\n' });
  const failed = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1']);
  expect(failed.stderr).toContain('git worktree add');
  expect(failed.exitCode).toBe(2);
  const { body } = await project.json<{
    task: { state: string; holder: unknown };
    transitions: Array<{ to: string; reason: string }>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.task).toMatchObject({ state: 'blocked', holder: null });
  expect(body.transitions.at(-1)!.reason).toMatch(/^the worktree could not be made ready: git worktree add/);
});

test('a task in review is not started again: only its review sends it back', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  // Handed off, as `handoff` leaves it (the handoff itself has its own tests).
  project.sql(`DELETE FROM holds WHERE task_id = ?`, EXAMPLE_TASK);
  project.sql(`UPDATE tasks SET state = 'in_review' WHERE id = ?`, EXAMPLE_TASK);
  const before = project.storeSnapshot();
  const again = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1']);
  expect(again.stderr).toContain(`task ${EXAMPLE_TASK} is in review: it is not started again`);
  expect(again.stderr).toContain(`packgate review submit --task ${EXAMPLE_TASK} --request-changes`);
  expect(again.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('a task its state keeps from starting (parked, in review) is refused for that, not for its dependencies or packet; exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  await project.examplePacket({
    TASK_ID: 'BASE-1',
    GOAL: 'the groundwork',
    PACKET_FILE: '.packgate/packets/BASE-1.yaml',
  });
  expect((await project.packgate(['task', 'depend', EXAMPLE_TASK, '--on', 'BASE-1'])).exitCode).toBe(0);
  const parked = await project.packgate(['task', 'move', EXAMPLE_TASK, 'parked', '--reason', 'split into its parts']);
  expect(parked.exitCode, parked.output).toBe(0);
  const before = project.storeSnapshot();

  // Before: 'depends on tasks that are not done ... or start it anyway: --force' (exit 1), and then
  // --force was refused as 'cannot move from parked to in_progress'.
  for (const args of [[], ['--force', '--reason', 'needed now']]) {
    const start = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1', ...args]);
    expect(start.stderr).toBe(
      `packgate: task ${EXAMPLE_TASK} cannot move from parked to in_progress\n` +
        '  hint: from parked a task can move to: ready, proposed\n',
    );
    expect(start.exitCode).toBe(2);
  }
  expect(project.storeSnapshot()).toEqual(before);

  // A task in review without a packet (imported so): said as in review, not as missing its packet.
  project.write({
    'backlog.yaml':
      '- { id: OLD-2, title: another, state: in_review, kind: bugfix, lane: C-ops, created_at: 2024-01-31 }\n',
  });
  expect((await project.packgate(['queue', 'import', 'backlog.yaml'])).exitCode).toBe(0);
  const afterImport = project.storeSnapshot();
  const review = await project.packgate(['task', 'start', 'OLD-2', '--session', 'agent-1']);
  expect(review.stderr).toContain('packgate: task OLD-2 is in review: it is not started again\n');
  expect(review.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(afterImport);
});
