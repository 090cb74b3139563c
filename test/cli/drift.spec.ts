import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import type { ContextPacket } from '../../src/packet/packet-schema.ts';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

const WORKTREE = `.packgate/worktrees/${EXAMPLE_TASK}`;

/** The document's example task, started: a worktree whose packet owns packs/** and forbids src/** and stack/**. */
async function startedTask(testInfo: Parameters<typeof TaskProject.create>[0]) {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  const start = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1']);
  expect(start.exitCode, start.output).toBe(0);
  return { project, worktree: `${project.dir}/${WORKTREE}` };
}

test('an owned change passes: exit 0, the check recorded, the task still in progress', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write(
    { 'packs/auth-session/pack.yaml': project.read(`${WORKTREE}/packs/auth-session/pack.yaml`) + '# owned\n' },
    worktree,
  );
  project.commitAll('an owned change', worktree);
  const result = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(result.stdout).toMatch(
    new RegExp(
      `^drift of ${EXAMPLE_TASK} since [0-9a-f]{12}: 1 changed file, all inside the packet\\n` +
        '  RULE  FILE {26}WHY\\n  1 {5}packs/auth-session/pack.yaml  owned \\(packs/\\*\\*\\)\\n$',
    ),
  );
  expect(result.exitCode).toBe(0);
  const { body } = await project.json<{
    task: { state: string };
    events: Array<{ kind: string; body: { clean: boolean } }>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.task.state).toBe('in_progress');
  expect(body.events.filter(e => e.kind === 'drift').map(e => e.body.clean)).toEqual([true]);
});

test('work not committed is marked, by drift and handoff: judged like the rest, but not on the branch review accepts', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write({ 'packs/auth-session/plan.md': 'the plan\n', 'packs/auth-session/done.md': 'committed\n' }, worktree);
  project.commitAll('the plan', worktree);
  // After the commit: an edit of a committed file, a new file staged, a new file untracked.
  project.write(
    {
      'packs/auth-session/plan.md': 'the plan, revised\n',
      'packs/auth-session/staged.md': 'staged\n',
      'packs/auth-session/notes.md': 'untracked\n',
    },
    worktree,
  );
  project.git(['add', 'packs/auth-session/staged.md'], worktree);

  // Before: each listed as any committed change ("1  packs/auth-session/plan.md  owned (packs/**)").
  const result = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(result.exitCode, result.output).toBe(0);
  expect(result.stdout).toMatch(/\n {2}1 {5}packs\/auth-session\/done\.md +owned \(packs\/\*\*\)\n/);
  for (const file of ['notes', 'plan', 'staged'])
    expect(result.stdout).toMatch(
      new RegExp(`  1 {5}packs/auth-session/${file}\\.md \\(changes not committed\\) +owned`),
    );
  expect(result.stdout).toContain(
    "3 files with changes not committed: not on the task's branch, which review accepts and main merges; " +
      'commit them (git add ... && git commit)\n',
  );
  const json = JSON.parse(
    (await project.packgate(['drift', '--task', EXAMPLE_TASK, '--json'], {}, worktree)).stdout,
  ) as {
    changes: Array<{ path: string; status: string; uncommitted?: boolean }>;
  };
  expect(json.changes.map(c => [c.path, c.status, c.uncommitted ?? false])).toEqual([
    ['packs/auth-session/done.md', 'added', false],
    ['packs/auth-session/notes.md', 'untracked', true],
    ['packs/auth-session/plan.md', 'added', true],
    ['packs/auth-session/staged.md', 'added', true],
  ]);

  const handoff = await project.packgate(['handoff', '--task', EXAMPLE_TASK, '--dry-run'], {}, worktree);
  expect(handoff.stdout).toContain(
    'files changed since ' +
      project.git(['rev-parse', 'main']).trim().slice(0, 12) +
      ':\n' +
      '  added     packs/auth-session/done.md\n' +
      '  untracked packs/auth-session/notes.md  (changes not committed)\n' +
      '  added     packs/auth-session/plan.md  (changes not committed)\n' +
      '  added     packs/auth-session/staged.md  (changes not committed)\n' +
      "  3 files with changes not committed: not on the task's branch, which review accepts and main merges; " +
      'commit them (git add ... && git commit)\n',
  );
});

test('a change under must_not_touch exits 1 and records an escalation: what crossed which boundary, the diff, the stop conditions', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write({ 'src/extra.ts': '// touched\n', 'packs/auth-session/notes.md': 'owned\n' }, worktree);
  project.commitAll('a change the packet forbids', worktree);
  const result = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(result.stdout).toContain('  2     src/extra.ts                 must_not_touch (src/**): stop and escalate\n');
  expect(result.stdout).toContain(
    `task ${EXAMPLE_TASK} escalated (escalation #1): stop and get the owning lane's decision\n` +
      '  src/extra.ts crossed must_not_touch src/**; lane Q-gate owns it\n',
  );
  expect(result.exitCode).toBe(1);
  const { body } = await project.json<{
    task: { state: string; holder: unknown; workspace: unknown };
    transitions: Array<{ to: string; reason: string }>;
    events: Array<{ kind: string; body: Record<string, unknown> }>;
    escalations: Array<Record<string, unknown>>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.task).toMatchObject({ state: 'escalated', holder: null });
  const reason = 'drift rule 2: src/extra.ts (must_not_touch src/**)';
  expect(body.transitions.at(-1)).toMatchObject({ to: 'escalated', reason });
  const packet = parse(project.read(`${WORKTREE}/.packgate/packet.yaml`)) as { stop_conditions: string[] };
  expect(body.escalations).toEqual([
    {
      id: 1,
      taskId: EXAMPLE_TASK,
      source: 'drift',
      to: null,
      details: null,
      reason,
      crossed: [{ path: 'src/extra.ts', kind: 'must-not-touch', boundary: 'must_not_touch src/**', lane: 'Q-gate' }],
      paths: ['packs/auth-session/notes.md', 'src/extra.ts'],
      base: project.git(['rev-parse', 'main']).trim(),
      head: project.git(['rev-parse', 'HEAD'], worktree).trim(),
      stopConditions: packet.stop_conditions,
      moved: true,
      createdAt: expect.any(String),
      createdBy: 'tester',
    },
  ]);
  expect(body.escalations[0].stopConditions).toContainEqual(expect.stringContaining('stop, run `packgate drift`'));
  expect(body.events.find(e => e.kind === 'escalation')!.body).toEqual({
    escalation: 1,
    files: [{ path: 'src/extra.ts', kind: 'must-not-touch', boundary: 'must_not_touch src/**' }],
  });
  const show = await project.packgate(['task', 'show', EXAMPLE_TASK]);
  expect(show.stdout).toMatch(
    new RegExp(
      `\nescalations:\n  #1 \\S+ drift by tester: ${reason.replace(/[()*]/g, '\\$&')}\n` +
        '    src/extra.ts crossed must_not_touch src/\\*\\*; lane Q-gate owns it\n' +
        '    diff since [0-9a-f]{12}: packs/auth-session/notes.md, src/extra.ts\n' +
        '    stop condition: ',
    ),
  );
});

test('a change outside ownership that is not needed proposes a follow-up task, once, with a packet derived from this one', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write({ 'NOTES.md': 'A drive-by note.\n', 'README.md': '# the project\n' }, worktree);
  const first = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(first.stdout).toMatch(
    /follow-up task proposed: C-DEPLOYED-AUTH-LOGIN-RELEASE-GATE-001-FU-[0-9a-f]{8} \(NOTES\.md, lane C-ops, with a packet\); revert the change here/,
  );
  expect(first.stdout).toMatch(/follow-up task proposed: \S+ \(README\.md, lane Q-gate, with a packet\)/);
  expect(first.exitCode).toBe(1);
  const again = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(again.stdout).not.toContain('follow-up task proposed');
  expect(again.exitCode).toBe(1);
  const { body } = await project.json<{
    tasks: Array<{ id: string; state: string; origin: string; ownerLane: string }>;
  }>(['task', 'list', '--state', 'proposed']);
  expect(body.tasks.map(t => [t.state, t.origin, t.ownerLane]).sort()).toEqual([
    ['proposed', EXAMPLE_TASK, 'C-ops'],
    ['proposed', EXAMPLE_TASK, 'Q-gate'],
  ]);
  expect((await project.packgate(['task', 'show', EXAMPLE_TASK, '--json'])).stdout).toContain('"state": "in_progress"');

  // The README follow-up belongs to the lane that owns README.md, its packet derived from the parent's.
  const parent = parse(project.read(`${WORKTREE}/.packgate/packet.yaml`)) as ContextPacket;
  const readme = (
    await project.json<{ tasks: Array<{ id: string; ownerLane: string }> }>(['task', 'list', '--lane', 'Q-gate'])
  ).body.tasks[0].id;
  const packet = parse((await project.packgate(['task', 'show', readme, '--packet'])).stdout) as ContextPacket;
  expect(packet).toMatchObject({
    task_id: readme,
    track_id: parent.track_id,
    owner_lane: 'Q-gate',
    owned_files: ['README.md'],
    must_not_touch: ['stack/**', 'environments/**', 'environments/prod.yaml'],
    environment: parent.environment,
    workflow_regression_pack: parent.workflow_regression_pack,
    stop_conditions: parent.stop_conditions,
  });
  expect(packet.goal).toContain(`Follow-up of ${EXAMPLE_TASK}: decide whether the change to README.md`);
  expect(packet.goal).toContain(parent.goal);
  expect(packet.non_goals).toEqual(expect.arrayContaining(parent.non_goals));
  expect(packet.architecture_context).toContainEqual(
    expect.stringMatching(/^lane Q-gate owns README\.md \(README\.md\): /),
  );
  expect(packet.commands_to_run.join('\n')).toContain(`TASK_ID=${readme} npx playwright test`);
  expect(packet.commands_to_run.join('\n')).not.toContain(`${EXAMPLE_TASK} `);
  // It passes today's packet check, so the lane can make it ready as it is.
  expect((await project.packgate(['packet', 'check', readme])).exitCode).toBe(0);
  const ready = await project.packgate(['task', 'move', readme, 'ready', '--reason', 'wanted']);
  expect(ready.exitCode, ready.output).toBe(0);
});

test('--needed escalates an outside change; --unrelated marks it to be left alone', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write({ 'fixtures/oidc.ts': '// needed\n', 'docs/notes.md': 'unrelated\n' }, worktree);
  const result = await project.json<{
    changes: Array<{ path: string; rule: number; kind: string }>;
    escalated: boolean;
  }>(['drift', '--task', EXAMPLE_TASK, '--dir', worktree, '--needed', 'fixtures/**', '--unrelated', 'docs/**']);
  expect(result.body.changes.map(c => [c.path, c.rule, c.kind])).toEqual([
    ['docs/notes.md', 4, 'unrelated'],
    ['fixtures/oidc.ts', 2, 'needed'],
  ]);
  expect(result.body.escalated).toBe(true);
  expect(result.result.exitCode).toBe(1);
  // The envelope's ok agrees with the exit code: a drift outside the packet is not ok.
  expect(result.body).toMatchObject({ ok: false, clean: false });
});

// Before: drift judged the main checkout in its place: another task's commit on main since the base
// escalated this one ("src/other.ts crossed must_not_touch"), and its own committed change was not seen.
test('a task whose worktree is gone is refused, drift and handoff alike, saying how to make it again; nothing recorded', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write({ 'packs/auth-session/plan.md': 'the plan\n' }, worktree);
  project.commitAll('the plan', worktree);
  project.git(['worktree', 'remove', '--force', worktree]);
  project.write({ 'src/other.ts': '// another task, merged\n' });
  project.commitAll('another task on main');
  const before = project.storeSnapshot();
  for (const command of ['drift', 'handoff']) {
    const result = await project.packgate([command, '--task', EXAMPLE_TASK]);
    expect(result.stderr).toBe(
      `packgate: task ${EXAMPLE_TASK}'s worktree ${worktree} is gone: its work is on branch task/${EXAMPLE_TASK}, not in this checkout\n` +
        `  hint: start it again as the session holding it (packgate task start ${EXAMPLE_TASK} --session agent-1): ` +
        `its worktree is made again on its branch; or pass --dir <a checkout of task/${EXAMPLE_TASK}>\n`,
    );
    expect(result.exitCode).toBe(2);
  }
  expect(project.storeSnapshot()).toEqual(before);
  // As the hint says: made again on its branch, drift judges the task's own change.
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  const again = await project.packgate(['drift', '--task', EXAMPLE_TASK, '--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ clean: true, changes: [{ path: 'packs/auth-session/plan.md' }] });
  expect(again.exitCode).toBe(0);
});

// Before: a --needed glob that matched nothing was no judgement at all: the change it meant stayed
// rule 3 and proposed a follow-up task, the escalation the worker asked for was never raised.
test('a --needed or --unrelated glob that matches no outside change is bad input, naming the changes; nothing recorded', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write({ 'fixtures/oidc.ts': '// needed\n', 'docs/notes.md': 'unrelated\n' }, worktree);
  const before = project.storeSnapshot();
  const cases: Array<[string[], string]> = [
    [
      ['--needed', './fixtures/**'],
      '--needed "./fixtures/**" matches no change outside the packet\'s ownership: it must be a path glob relative to ' +
        'the repository root, as git names files ("/" between folders, no ".", ".." or empty folder): "./fixtures/**" ' +
        'would match no file; write "fixtures/**"; nothing recorded',
    ],
    [
      ['--needed', 'fixtures/**', '--unrelated', 'doc/**'],
      '--unrelated "doc/**" matches no change outside the packet\'s ownership; nothing recorded',
    ],
  ];
  for (const [flags, said] of cases) {
    const result = await project.packgate(['drift', '--task', EXAMPLE_TASK, ...flags], {}, worktree);
    expect(result.stderr).toBe(
      `packgate: ${said}\n  hint: the changes outside it (paths from the project's folder, as the packet's globs): ` +
        'docs/notes.md, fixtures/oidc.ts\n',
    );
    expect(result.exitCode).toBe(2);
  }
  expect(project.storeSnapshot()).toEqual(before);
  expect(project.read(`${WORKTREE}/fixtures/oidc.ts`)).toBe('// needed\n');
});

test('bad input: no such task, no base to measure from, an unknown base; nothing recorded', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  const before = project.storeSnapshot();
  const unknown = await project.packgate(['drift', '--task', 'NOPE']);
  expect(unknown.stderr).toBe(
    'packgate: no task NOPE in the queue store\n  hint: list tasks with: packgate task list\n',
  );
  expect(unknown.exitCode).toBe(2);
  const noBase = await project.packgate(['drift', '--task', EXAMPLE_TASK]);
  expect(noBase.stderr).toBe(
    `packgate: task ${EXAMPLE_TASK} has no base commit to measure its changes from (it was not started with a worktree)\n` +
      `  hint: start it (packgate task start ${EXAMPLE_TASK}), or where the command takes one, pass --base <commit>\n`,
  );
  expect(noBase.exitCode).toBe(2);
  const badBase = await project.packgate(['drift', '--task', EXAMPLE_TASK, '--base', 'nowhere']);
  expect(badBase.stderr).toContain('"nowhere" is not a commit');
  expect(badBase.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});
