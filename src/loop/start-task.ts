import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { branchExists, projectIn, projectRepo, resolveRevision } from '../git/git.ts';
import { renderPacket } from '../packet/packet-source.ts';
import type { Governance } from '../governance/governance-schema.ts';
import type { ContextPacket } from '../packet/packet-schema.ts';
import { WORKTREE_POINTER } from '../store/configured.ts';
import type { StoreLocation, WorktreePointer } from '../store/open.ts';
import type { ClaimRequest, QueueStore, ReleaseRequest, SessionInfo } from '../store/queue-store.ts';
import type { Task, Transition } from '../store/queue-schema.ts';
import { assertLegalTransition } from '../store/task-states.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';
import { dependencyOverride, openDependencies } from './open-dependencies.ts';
import { makeWorktree, placeWorktree, prepareWorktree } from './task-worktree.ts';

/** Where the packet is written inside a task's worktree (kept out of git, with the rest of .packgate/). */
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
  /** The commit the branch starts from. Default HEAD; a resumed branch keeps the base it was started from. */
  base?: string;
  /** Claim only, without a worktree (for work that is not in this repository). */
  worktree: boolean;
  /** Start although dependencies are not done, for this reason (recorded as an `override` event). */
  force?: { reason: string };
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
 * checkout; a task whose branch has a worktree already resumes in it. Everything that can be
 * refused is checked before the claim, so a refusal writes nothing (a task whose dependencies are
 * not done is refused unless forced); a worktree git then fails to make gives the task back to the
 * state it was claimed from, on the record.
 */
export async function startTask(options: StartTaskOptions): Promise<StartedTask> {
  const { store, taskId, session, actor } = options;
  const task = await store.requireTask(taskId);
  assertStartable(task);
  const override = dependencyOverride(taskId, await openDependencies(store, task), options.force);
  const event = override && { kind: 'override' as const, body: override };
  if (!options.worktree) {
    await store.claim(taskId, { session, actor, reason: 'started (no worktree)', event });
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
  const place = placeWorktree(options.root, repo, options.governance, taskId);
  const { branch } = place;
  // Where the task works: the project's folder in the worktree (its top, unless the project is a
  // subfolder of its repository). The packet, the pointer and node_modules go there, and the
  // commands run there.
  const dir = projectIn(place.dir, repo, options.root);
  const resumed = place.existing || place.lost || branchExists(repo, branch);
  const base = resolveRevision(
    repo,
    options.base ?? (resumed ? await startedFrom(store, taskId, branch) : undefined) ?? 'HEAD',
  );

  const claim = await store.claim(taskId, {
    session,
    actor,
    reason: resumed
      ? `started on existing branch ${branch}`
      : `started on new branch ${branch} from ${base.slice(0, 12)}`,
    worktree: dir,
    branch,
    base,
    event,
  } satisfies ClaimRequest);
  try {
    makeWorktree(repo, place, base);
    furnishWorktree(options, place.checkout, { dir, branch, base });
  } catch (error) {
    await store.release(taskId, {
      session: session.id,
      to: returnState(claim),
      actor,
      reason: `the worktree could not be made ready: ${(error as Error).message.split('\n')[0]}`,
    });
    throw error;
  }
  return { worktree: dir, branch, base, packetFile: path.join(dir, WORKTREE_PACKET) };
}

/**
 * Makes the worktree of a task the session holds again, when its folder is gone (removed by hand,
 * lost with a disk): `task start` is how its holder gets the workspace back, its branch checked out
 * as it is, the packet and the pointer written again. Nothing in the store changes. Undefined when
 * the worktree is there; refused when git would put it elsewhere than the store says it is.
 */
export function restoreLostWorktree(
  options: Omit<StartTaskOptions, 'store' | 'actor' | 'worktree' | 'force' | 'base'>,
  recorded: { worktree: string; branch: string; base: string },
): StartedTask | undefined {
  if (fs.existsSync(recorded.worktree)) return undefined;
  const repo = projectRepo(options.root);
  const place = repo && placeWorktree(options.root, repo, options.governance, options.taskId);
  const dir = repo && place && projectIn(place.dir, repo, options.root);
  if (!repo || !place || place.branch !== recorded.branch || dir !== recorded.worktree)
    throw new PackgateError(
      'GIT_FAILED',
      `the worktree of task ${options.taskId} (${recorded.worktree}, branch ${recorded.branch}) is gone, and packgate cannot make it again where it was`,
      { hint: `bring it back with: git worktree add ${recorded.worktree} ${recorded.branch}` },
    );
  makeWorktree(repo, place, recorded.base);
  furnishWorktree(options, place.checkout, { dir, branch: recorded.branch, base: recorded.base });
  return { ...recorded, packetFile: path.join(dir, WORKTREE_PACKET) };
}

/** What a task's worktree holds beside its branch: the packet, the pointer to the store, node_modules. */
function furnishWorktree(
  options: Pick<StartTaskOptions, 'taskId' | 'session' | 'storeLocation' | 'packet'>,
  checkout: string,
  at: { dir: string; branch: string; base: string },
): void {
  const pointer: WorktreePointer = {
    schemaVersion: 1,
    taskId: options.taskId,
    session: options.session.id,
    branch: at.branch,
    base: at.base,
    store:
      options.storeLocation.kind === 'sqlite'
        ? { kind: 'sqlite', path: options.storeLocation.path }
        : { kind: 'postgres', urlEnv: options.storeLocation.urlEnv },
  };
  writeFileAtomic(path.join(at.dir, WORKTREE_PACKET), renderPacket(options.packet));
  writeFileAtomic(path.join(at.dir, WORKTREE_POINTER), JSON.stringify(pointer, null, 2) + '\n');
  prepareWorktree(checkout, at.dir);
}

/**
 * What no start gets past, whatever its packet, its dependencies or --force: a task in review, or
 * one whose state does not move to in_progress (parked, proposed, done). Checked first, so the
 * refusal is this one, not a dependency's that --force would pass only to be refused here.
 */
export function assertStartable(task: Task): void {
  // Back from review only through its reviewer: a start would take it out of review unreviewed.
  if (task.state === 'in_review')
    throw new PackgateError('TRANSITION_ILLEGAL', `task ${task.id} is in review: it is not started again`, {
      hint: `a review that requests changes sends it back to in_progress: packgate review submit --task ${task.id} --request-changes`,
    });
  // In progress already: the store says whose hold it is, or resumes it for its own session.
  if (task.state !== 'in_progress') assertLegalTransition(task.id, task.state, 'in_progress');
}

/**
 * Where a start that failed after its claim leaves the task: the state it was claimed from, so a
 * blocked or escalated task keeps its flag; ready otherwise (in_review is reached by handoff only).
 */
function returnState(claim: Transition): ReleaseRequest['to'] {
  return claim.from === 'blocked' || claim.from === 'escalated' ? claim.from : 'ready';
}

/** The base a task's branch was started from, as its last claim on that branch recorded it. */
async function startedFrom(store: QueueStore, taskId: string, branch: string): Promise<string | undefined> {
  const claims = await store.events(taskId, 'claim');
  const last = claims.filter(e => e.body.branch === branch && typeof e.body.base === 'string').at(-1);
  return last?.body.base as string | undefined;
}
