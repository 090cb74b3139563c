import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { cleanupOnInterrupt } from '../process/interrupt.ts';
import { git, mainWorktree, projectIn, projectRepo } from '../git/git.ts';
import { prepareWorktree } from '../loop/task-worktree.ts';

/** Where scratch worktrees go, in the main checkout (kept out of git with the rest of .packgate/). */
export const SCRATCH_DIR = '.packgate/scratch';

export type ScratchWorktree = {
  /** The worktree's top folder. */
  dir: string;
  /** The project inside it (the project may sit in a subfolder of its repository). */
  project: string;
  commit: string;
};

/**
 * Runs `body` in a detached worktree of the project's repository at `commit`, under the main
 * checkout's .packgate/scratch/, with node_modules linked in the way task start links it. The
 * worktree is removed afterwards whatever happens: the body's failure, or an interrupt (SIGINT,
 * SIGTERM, SIGHUP), which removes it and then ends the process as the signal would.
 */
export async function withScratchWorktree<T>(
  root: string,
  commit: string,
  label: string,
  body: (scratch: ScratchWorktree) => Promise<T>,
): Promise<T> {
  const repo = projectRepo(root);
  if (!repo)
    throw new PackgateError('GIT_FAILED', `${root} is not in a git repository that tracks its packgate.yaml`, {
      hint: 'a regression is proven in worktrees of the project at the fix and its base: commit the project',
    });
  const checkout = mainWorktree(repo);
  const parent = path.join(checkout, SCRATCH_DIR);
  const dir = path.join(parent, `${label}-${randomBytes(3).toString('hex')}`);
  // The outermost folder this call makes on the way to `parent` (none when it was there already).
  let made: string | undefined;
  const remove = () => {
    removeScratch(repo, dir);
    removeEmptyFolders(parent, made);
  };
  const stopListening = cleanupOnInterrupt(remove);
  try {
    made = fs.mkdirSync(parent, { recursive: true });
    git(repo, ['worktree', 'add', '--detach', dir, commit]);
    // The checkout's node_modules: the project's own folder in it, as task worktrees get it.
    const project = projectIn(dir, repo, root);
    prepareWorktree(projectIn(checkout, repo, root), project);
    return await body({ dir, project, commit });
  } finally {
    stopListening();
    remove();
  }
}

/** Removes a scratch worktree and git's record of it; never throws (it runs on the way out). */
function removeScratch(repo: string, dir: string): void {
  try {
    git(repo, ['worktree', 'remove', '--force', dir]);
  } catch {
    // Not made yet, or half made: the folder and git's record are cleared below.
  }
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    git(repo, ['worktree', 'prune']);
  } catch {
    // Nothing to prune.
  }
}

/**
 * Removes the folders a scratch worktree was made in, from `innermost` out to `outermost`, while
 * they are empty: only the ones this proof made, and none another proof's worktree is still in.
 */
function removeEmptyFolders(innermost: string, outermost: string | undefined): void {
  if (!outermost) return;
  for (let folder = innermost; ; folder = path.dirname(folder)) {
    try {
      fs.rmdirSync(folder);
    } catch {
      return; // Not empty (another proof's worktree), or gone already.
    }
    if (folder === outermost || path.dirname(folder) === folder) return;
  }
}
