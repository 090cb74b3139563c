import { expect, test } from '@playwright/test';
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

test('a change under must_not_touch exits 1 and records an escalation on the task', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write({ 'src/extra.ts': '// touched\n', 'packs/auth-session/notes.md': 'owned\n' }, worktree);
  project.commitAll('a change the packet forbids', worktree);
  const result = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(result.stdout).toContain('  2     src/extra.ts                 must_not_touch (src/**): stop and escalate\n');
  expect(result.stdout).toContain(`task ${EXAMPLE_TASK} escalated: stop and get the owning lane's decision\n`);
  expect(result.exitCode).toBe(1);
  const { body } = await project.json<{
    task: { state: string; holder: unknown };
    transitions: Array<{ to: string; reason: string }>;
    events: Array<{ kind: string; body: Record<string, unknown> }>;
  }>(['task', 'show', EXAMPLE_TASK]);
  expect(body.task).toMatchObject({ state: 'escalated', holder: null });
  expect(body.transitions.at(-1)).toMatchObject({
    to: 'escalated',
    reason: 'drift rule 2: src/extra.ts (must_not_touch src/**)',
  });
  expect(body.events.find(e => e.kind === 'escalation')!.body).toEqual({
    files: [{ path: 'src/extra.ts', kind: 'must-not-touch', glob: 'src/**' }],
  });
});

test('a change outside ownership that is not needed proposes a follow-up task, once', async ({}, testInfo) => {
  const { project, worktree } = await startedTask(testInfo);
  project.write({ 'NOTES.md': 'A drive-by note.\n' }, worktree);
  const first = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(first.stdout).toMatch(
    /follow-up task proposed: C-DEPLOYED-AUTH-LOGIN-RELEASE-GATE-001-FU-[0-9a-f]{8} \(NOTES\.md\); revert the change here/,
  );
  expect(first.exitCode).toBe(1);
  const again = await project.packgate(['drift', '--task', EXAMPLE_TASK], {}, worktree);
  expect(again.stdout).not.toContain('follow-up task proposed');
  expect(again.exitCode).toBe(1);
  const { body } = await project.json<{ tasks: Array<{ id: string; state: string; origin: string }> }>([
    'task',
    'list',
    '--state',
    'proposed',
  ]);
  expect(body.tasks).toEqual([expect.objectContaining({ state: 'proposed', origin: EXAMPLE_TASK })]);
  expect((await project.packgate(['task', 'show', EXAMPLE_TASK, '--json'])).stdout).toContain('"state": "in_progress"');
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
      '  hint: pass --base <commit>, e.g. --base main\n',
  );
  expect(noBase.exitCode).toBe(2);
  const badBase = await project.packgate(['drift', '--task', EXAMPLE_TASK, '--base', 'nowhere']);
  expect(badBase.stderr).toContain('"nowhere" is not a commit');
  expect(badBase.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});
