import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { addExcludes, addWorktree, git, listWorktrees, mainCheckoutOf, repoRoot } from '../git/git.ts';
import type { Governance } from '../governance/governance-schema.ts';

/**
 * What `task start` adds at the top of a worktree and git must not count as the task's change:
 * the dependencies link (a symlink, which `.gitignore`'s `node_modules/` does not match) and
 * .packgate/ (the packet and the pointer to the store).
 */
export const TASK_START_ADDS = ['/node_modules', '/.packgate/'] as const;

export type WorktreePlace = {
  /** The checkout the worktrees belong to: the main working tree, at the project's folder in it. */
  checkout: string;
  dir: string;
  branch: string;
  /** Whether the worktree exists already (a task resumed). */
  existing: boolean;
  /** Git lists a worktree on the branch whose folder is gone (removed by hand, lost in a crash): it is made again there. */
  lost?: true;
};

/**
 * Where a task's worktree is. Git checks a branch out in one worktree only, so a task whose branch is
 * checked out somewhere resumes there, wherever task start runs (in its own worktree, after an
 * escalation, say). A new one goes under the worktrees folder of the main checkout, never inside
 * the worktree task start happens to run in.
 */
export function placeWorktree(
  root: string,
  repo: string,
  governance: Governance | undefined,
  taskId: string,
): WorktreePlace {
  const layout = governance?.worktrees ?? { dir: '.packgate/worktrees', branch_prefix: 'task/' };
  const branch = `${layout.branch_prefix}${taskId}`;
  const checkout = mainCheckoutOf(repo, root);
  const worktrees = listWorktrees(repo);
  const checkedOut = worktrees.find(w => w.branch === branch);
  if (checkedOut) {
    const dir = path.resolve(checkedOut.path);
    // Git keeps a removed worktree's branch checked out there (prunable) until pruned: resuming in
    // the folder as it is would put the packet in a plain folder whose git is the main checkout's.
    if (!fs.existsSync(dir)) return { checkout, dir, branch, existing: false, lost: true };
    return { checkout, dir, branch, existing: true };
  }

  const dir = path.resolve(checkout, layout.dir, taskId);
  const occupant = worktrees.find(w => path.resolve(w.path) === dir);
  if (occupant)
    throw new PackgateError(
      'GIT_FAILED',
      `${dir} is a worktree of branch ${occupant.branch ?? '(detached)'}, not ${branch}`,
      {
        hint: 'remove it with `git worktree remove` or move it',
      },
    );
  if (fs.existsSync(dir))
    throw new PackgateError('GIT_FAILED', `${dir} exists and is not a worktree of this repository`, {
      hint: 'move it out of the way, then start the task again',
    });
  return { checkout, dir, branch, existing: false };
}

/**
 * Makes the worktree a place says is not there: new from `base`, or the branch as it is; a lost one
 * with --force, which git needs to check the branch out again where its listed worktree was.
 */
export function makeWorktree(repo: string, place: WorktreePlace, base: string): void {
  if (place.existing) return;
  if (place.lost) git(repo, ['worktree', 'add', '--force', place.dir, place.branch]);
  else addWorktree(repo, place.dir, place.branch, base);
}

/**
 * Readies the project's folder in a worktree for the packet's commands: the checkout's node_modules
 * linked in (a fresh worktree has none; one that installs its own keeps it), and what task start
 * adds kept out of git. Both are the project's folder: the worktree's top, or a subfolder of it
 * when the project is one of its repository's.
 */
export function prepareWorktree(checkout: string, project: string): void {
  const source = path.join(checkout, 'node_modules');
  const target = path.join(project, 'node_modules');
  if (fs.existsSync(source) && !fs.lstatSync(target, { throwIfNoEntry: false }))
    fs.symlinkSync(fs.realpathSync(source), target, 'dir');
  const top = repoRoot(project) ?? project;
  // info/exclude patterns are anchored at the repository's top.
  const prefix = path.relative(top, project).split(path.sep).join('/');
  addExcludes(
    top,
    TASK_START_ADDS.map(added => (prefix ? `/${prefix}${added}` : added)),
    'added by packgate task start: never part of a task',
  );
}
