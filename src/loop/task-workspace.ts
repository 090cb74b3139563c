import fs from 'node:fs';
import { PackgateError } from '../diagnostics/errors.ts';
import { projectRepo, resolveRevision } from '../git/git.ts';
import type { Task, TaskEvent } from '../store/queue-schema.ts';

/** A task's worktree, branch and base as a hold or a claim records them. */
export type Workspace = { worktree: string | null; branch: string | null; base: string | null };

/**
 * The task's workspace: of its hold, else of its last claim (a task in review is held by nobody,
 * and its work is where it was left).
 */
export function lastWorkspace(task: Task, claims: readonly TaskEvent[]): Workspace {
  if (task.workspace) return task.workspace;
  const claim = claims.filter(e => e.kind === 'claim').at(-1)?.body ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return { worktree: text(claim.worktree), branch: text(claim.branch), base: text(claim.base) };
}

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
  const last = lastWorkspace(task, claims);
  const worktree = last.worktree ?? undefined;
  if (!options.dir && worktree && task.state !== 'done' && !fs.existsSync(worktree)) throw lostWorktree(task, last);
  const dir = options.dir ?? worktree ?? root;
  if (!projectRepo(dir))
    throw new PackgateError(
      'GIT_FAILED',
      `${dir} is not in a git repository that tracks its packgate.yaml: the task's changes come from git`,
      { hint: "run it in the task's worktree, or pass --dir <checkout>" },
    );
  const base = options.base ?? last.base ?? undefined;
  if (!base)
    throw new PackgateError(
      'INPUT_INVALID',
      `task ${task.id} has no base commit to measure its changes from (it was not started with a worktree)`,
      { hint: `start it (packgate task start ${task.id}), or where the command takes one, pass --base <commit>` },
    );
  return { dir, base: resolveRevision(dir, base) };
}

/**
 * A task whose worktree is gone (removed, or its folder deleted) while the task still names it: its
 * work is on its branch, and the checkout a command would fall back to is not that branch, so its
 * commits since the task's base (other tasks' merged work) would be judged as this task's changes
 * (drift, handoff, review route and submit), and its own not at all. A done task's worktree may go:
 * its work is merged. Said with how to bring the worktree back.
 */
function lostWorktree(task: Task, { worktree, branch }: Workspace): PackgateError {
  const onBranch = branch ?? '(unknown)';
  return new PackgateError(
    'INPUT_INVALID',
    `task ${task.id}'s worktree ${worktree} is gone: its work is on branch ${onBranch}, not in this checkout`,
    {
      hint:
        task.state === 'in_progress'
          ? `start it again as the session holding it (packgate task start ${task.id}${task.holder ? ` --session ${task.holder.session}` : ''}): ` +
            `its worktree is made again on its branch; or pass --dir <a checkout of ${onBranch}>`
          : `check its branch out there again: git worktree prune && git worktree add ${worktree} ${onBranch}`,
    },
  );
}
