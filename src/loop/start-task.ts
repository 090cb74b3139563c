import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { addWorktree, branchExists, listWorktrees, projectRepo, resolveRevision } from '../git/git.ts';
import { renderPacket } from '../packet/packet-source.ts';
import type { Governance } from '../governance/governance-schema.ts';
import type { ContextPacket } from '../packet/packet-schema.ts';
import { WORKTREE_POINTER } from '../store/configured.ts';
import type { StoreLocation, WorktreePointer } from '../store/open.ts';
import type { QueueStore, SessionInfo } from '../store/queue-store.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

/** Where the packet is written inside a task's worktree (ignored by git, with the rest of .packgate/). */
export const WORKTREE_PACKET = '.packgate/packet.yaml';

export type StartTaskOptions = {
  root: string;
  store: QueueStore;
  storeLocation: StoreLocation;
  governance?: Governance;
  taskId: string;
  /** Checked by the caller against today's catalogue: a task starts only with a packet that passes. */
  packet: ContextPacket;
  session: SessionInfo;
  actor: string;
  /** The commit the branch starts from. Default HEAD. */
  base?: string;
  /** Claim only, without a worktree (for work that is not in this repository). */
  worktree: boolean;
};

export type StartedTask = {
  worktree: string | null;
  branch: string | null;
  base: string | null;
  packetFile: string | null;
};

/**
 * Starts a task: claims it for the session (exactly one of two racing sessions wins), then gives
 * it a git worktree on its own branch with the packet inside, so parallel tracks never share a
 * checkout. Everything that can be refused is checked before the claim, so a refusal writes
 * nothing; a worktree git then fails to create releases the claim again, on the record.
 */
export async function startTask(options: StartTaskOptions): Promise<StartedTask> {
  const { store, taskId, session, actor } = options;
  if (!options.worktree) {
    await store.claim(taskId, { session, actor, reason: 'started (no worktree)' });
    return { worktree: null, branch: null, base: null, packetFile: null };
  }

  const repo = projectRepo(options.root);
  if (!repo)
    throw new PackgateError(
      'GIT_FAILED',
      `${options.root} is not in a git repository that tracks its packgate.yaml: a task gets a worktree of one`,
      {
        hint: 'commit the project (git init; git add -A; git commit), or pass --no-worktree to claim the task without one',
      },
    );
  const layout = options.governance?.worktrees ?? { dir: '.packgate/worktrees', branch_prefix: 'task/' };
  const dir = path.resolve(options.root, layout.dir, taskId);
  const branch = `${layout.branch_prefix}${taskId}`;
  const base = resolveRevision(repo, options.base ?? 'HEAD');
  const existing = listWorktrees(repo).find(w => path.resolve(w.path) === dir);
  if (existing && existing.branch !== branch)
    throw new PackgateError(
      'GIT_FAILED',
      `${dir} is a worktree of branch ${existing.branch ?? '(detached)'}, not ${branch}`,
      { hint: 'remove it with `git worktree remove` or move it' },
    );
  if (!existing && fs.existsSync(dir))
    throw new PackgateError('GIT_FAILED', `${dir} exists and is not a worktree of this repository`, {
      hint: 'move it out of the way, then start the task again',
    });
  const resumed = !!existing || branchExists(repo, branch);

  await store.claim(taskId, {
    session,
    actor,
    reason: resumed
      ? `started on existing branch ${branch}`
      : `started on new branch ${branch} from ${base.slice(0, 12)}`,
    worktree: dir,
    branch,
    base,
  });
  try {
    if (!existing) addWorktree(repo, dir, branch, base);
  } catch (error) {
    await store.release(taskId, {
      session: session.id,
      to: 'ready',
      actor,
      reason: `the worktree could not be created: ${(error as Error).message.split('\n')[0]}`,
    });
    throw error;
  }

  const pointer: WorktreePointer = {
    schemaVersion: 1,
    taskId,
    session: session.id,
    branch,
    base,
    store:
      options.storeLocation.kind === 'sqlite'
        ? { kind: 'sqlite', path: options.storeLocation.path }
        : { kind: 'postgres', urlEnv: options.storeLocation.urlEnv },
  };
  writeFileAtomic(path.join(dir, WORKTREE_PACKET), renderPacket(options.packet));
  writeFileAtomic(path.join(dir, WORKTREE_POINTER), JSON.stringify(pointer, null, 2) + '\n');
  linkDependencies(options.root, dir);
  return { worktree: dir, branch, base, packetFile: path.join(dir, WORKTREE_PACKET) };
}

/**
 * A fresh worktree has no node_modules (git ignores it): link the checkout's, so the packet's
 * commands run in the worktree at once. A worktree that installs its own keeps it.
 */
function linkDependencies(root: string, worktree: string): void {
  const source = path.join(root, 'node_modules');
  const target = path.join(worktree, 'node_modules');
  if (fs.existsSync(source) && !fs.existsSync(target)) fs.symlinkSync(fs.realpathSync(source), target, 'dir');
}
