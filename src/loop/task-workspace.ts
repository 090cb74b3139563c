import fs from 'node:fs';
import { PackgateError } from '../diagnostics/errors.ts';
import { projectRepo, resolveRevision } from '../git/git.ts';
import type { Task, TaskEvent } from '../store/queue-schema.ts';

/**
 * Where a task's changes are and what they are measured from: the folder given, else its worktree
 * (from its hold, or the last claim when it is no longer held), else the project; the base given,
 * else the commit its branch started from.
 */
export function taskWorkspace(
  root: string,
  task: Task,
  claims: readonly TaskEvent[],
  options: { dir?: string; base?: string },
): { dir: string; base: string } {
  const lastClaim = claims.filter(e => e.kind === 'claim').at(-1)?.body as
    { worktree?: string | null; base?: string | null } | undefined;
  const worktree = task.workspace?.worktree ?? lastClaim?.worktree ?? undefined;
  const dir = options.dir ?? (worktree && fs.existsSync(worktree) ? worktree : root);
  if (!projectRepo(dir))
    throw new PackgateError(
      'GIT_FAILED',
      `${dir} is not in a git repository that tracks its packgate.yaml: the task's changes come from git`,
      { hint: "run it in the task's worktree, or pass --dir <checkout>" },
    );
  const base = options.base ?? task.workspace?.base ?? lastClaim?.base ?? undefined;
  if (!base)
    throw new PackgateError(
      'INPUT_INVALID',
      `task ${task.id} has no base commit to measure its changes from (it was not started with a worktree)`,
      { hint: 'pass --base <commit>, e.g. --base main' },
    );
  return { dir, base: resolveRevision(dir, base) };
}
