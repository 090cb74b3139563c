import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

test.describe.configure({ timeout: 120_000 });

// Before: git still listed the removed worktree on the task's branch, so task start "resumed" there:
// it wrote the packet into a plain folder whose git was the main checkout's, and said to work in it.
test('a worktree folder removed after a crash is made again on its branch, with the work committed there', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket();
  const base = project.git(['rev-parse', 'HEAD']).trim();
  expect((await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1'])).exitCode).toBe(0);
  const worktree = `${project.dir}/.packgate/worktrees/${EXAMPLE_TASK}`;
  project.write({ 'packs/auth-session/plan.md': 'the plan\n' }, worktree);
  project.commitAll('the plan', worktree);
  fs.rmSync(worktree, { recursive: true, force: true });
  expect(
    (await project.packgate(['task', 'release', EXAMPLE_TASK, '--session', 'agent-1', '--reason', 'crashed'])).exitCode,
  ).toBe(0);

  const { result, body } = await project.json<{ workspace: { worktree: string; branch: string; base: string } }>([
    'task',
    'start',
    EXAMPLE_TASK,
    '--session',
    'agent-2',
  ]);
  expect(result.exitCode).toBe(0);
  expect(body.workspace).toMatchObject({ worktree, branch: `task/${EXAMPLE_TASK}`, base });
  expect(project.git(['rev-parse', '--show-toplevel'], worktree).trim()).toBe(worktree);
  expect(project.git(['branch', '--show-current'], worktree).trim()).toBe(`task/${EXAMPLE_TASK}`);
  expect(fs.readFileSync(`${worktree}/packs/auth-session/plan.md`, 'utf8')).toBe('the plan\n');
  expect(fs.existsSync(`${worktree}/.packgate/packet.yaml`)).toBe(true);
  expect(project.git(['status', '--porcelain'], worktree)).toBe('');
});
