import path from 'node:path';
import { rootAbove } from '../catalogue/root.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { displayPath } from '../fs/named-file.ts';
import { changedFiles, currentBranch, headCommit } from '../git/git.ts';
import type { Handoff } from './handoff-schema.ts';
import type { BlobCheck } from '../store/blobs.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { judgeDrift } from './drift.ts';
import { assembleHandoff, type ProofBody } from './handoff.ts';
import type { OpenedTask } from './open-task.ts';
import { lastMoveInto, movedAt } from './moved-into.ts';
import { lastWorkspace } from './task-workspace.ts';

/**
 * The handoff of a task from git and the store. Complete, and not a dry run: stored by digest and
 * recorded on the task as it moves from in_progress to in_review, in one transaction. Refused
 * (returned with `missing`): nothing is written.
 */
export async function runHandoff(
  store: QueueStore,
  { task, packet, dir, base }: OpenedTask,
  options: { risks: readonly string[]; actor: string; dryRun: boolean },
): Promise<{ handoff: Handoff; digest?: string }> {
  const taskId = task.id;
  const changes = judgeDrift(packet, changedFiles(dir, base)).changes;
  const runs = await store.gateRuns({ taskId });
  const events = await store.events(taskId);
  const digests = [
    ...runs.flatMap(r => r.evidence.map(e => e.digest)),
    ...events
      .filter(e => e.kind === 'proof')
      .flatMap(e => ((e.body as ProofBody).digest ? [(e.body as ProofBody).digest!] : [])),
  ];
  const checks = new Map<string, BlobCheck>();
  for (const digest of new Set(digests)) checks.set(digest, await store.blobs.verify(digest));
  const handoff = assembleHandoff({
    taskId,
    packet,
    base,
    head: headCommit(dir) ?? null,
    changes,
    runs,
    events,
    checks,
    locate: digest => evidencePath(store.blobs.locate(digest)),
    risks: options.risks,
  });
  const offBranch = offTheBranch(dir, lastWorkspace(task, events).branch, handoff.head);
  if (offBranch) handoff.missing.push(offBranch);
  if (handoff.missing.length || options.dryRun) return { handoff };
  const { digest } = await store.blobs.put(Buffer.from(JSON.stringify(handoff, null, 2) + '\n'));
  await store.transition(taskId, {
    from: 'in_progress',
    to: 'in_review',
    actor: options.actor,
    reason: `handed off (handoff sha256 ${digest.slice(0, 12)})`,
    event: { kind: 'handoff', body: { digest, base: handoff.base, head: handoff.head } },
  });
  return { handoff, digest };
}

/**
 * Why the checkout the handoff reads is not on the task's branch, if it is not (a detached HEAD, a
 * branch of its own): review accepts the branch, which would not hold the work handed off, and the
 * review that finds out refuses it only then. A task started without a branch has none to be on.
 */
function offTheBranch(dir: string, branch: string | null, head: string | null): string | undefined {
  if (!branch) return undefined;
  const current = currentBranch(dir);
  if (current === branch) return undefined;
  const at = head ? head.slice(0, 12) : 'HEAD';
  return (
    `the checkout is ${current ? `on branch ${current}` : `on a detached HEAD at ${at}`}, not on the task's branch ${branch}, ` +
    `which review accepts: put the work there (git switch ${branch} && git merge ${at}) and hand it off again`
  );
}

/**
 * Where a blob is, as a successor reads it: a file of a project's store relative to the root of the
 * project it is in (the checkout whose packgate.yaml is nearest above it: the main one, for a handoff
 * made in a task worktree), as a watched run's log is; an absolute path is one machine's and breaks
 * when the checkout moves. A file in no project, or a blob in the database, as located.
 */
function evidencePath(located: string): string {
  const root = path.isAbsolute(located) ? rootAbove(path.dirname(located)) : undefined;
  return root === undefined ? located : displayPath(root, located);
}

/**
 * Where each evidence file of `handoff` is as seen from `cwd`, the folder the command ran in: what
 * its lines show, for a person to copy. The stored locations are from the root of the project that
 * holds the store (the main checkout), which a task's worktree, where handoffs are made, is not.
 * A blob in the database, as located.
 */
export function evidenceFrom(cwd: string, store: QueueStore, handoff: Handoff): string[] {
  return handoff.evidence.map(e => {
    const located = store.blobs.locate(e.digest);
    return path.isAbsolute(located) ? path.relative(cwd, located).split(path.sep).join('/') : located;
  });
}

/**
 * A handoff moves a task from in_progress. A task in any other state is refused up front, saying
 * since when, by whom and what to do, before its packet and worktree are read (which a done task
 * need not have still) and instead of the store's "it moved since you looked", said after the whole
 * handoff was assembled (and of which a dry run said nothing: "handoff complete").
 */
export async function refuseUnlessInProgress(store: QueueStore, taskId: string): Promise<void> {
  const task = await store.requireTask(taskId);
  if (task.state === 'in_progress') return;
  const moved = await lastMoveInto(store, taskId, task.state);
  const since = moved ? ` since ${movedAt(moved)}, by ${moved.actor}` : '';
  if (task.state === 'in_review')
    throw new PackgateError('INPUT_INVALID', `task ${taskId} is handed off already: in review${since}`, {
      hint:
        `its reviewer decides (packgate review submit --task ${taskId}); to change the work, ` +
        'the review requests changes (--request-changes), which sends it back to in_progress, then hand it off again',
    });
  if (task.state === 'done')
    throw new PackgateError(
      'INPUT_INVALID',
      `task ${taskId} is done: there is nothing to hand off${moved ? ` (done${since}: ${moved.reason})` : ''}`,
      {
        hint: `done is final: see it with packgate task show ${taskId}; further work is a new task (packgate packet new)`,
      },
    );
  const start = `packgate task start ${taskId}`;
  throw new PackgateError(
    'INPUT_INVALID',
    `task ${taskId} is ${task.state}, not in progress: only a task in progress is handed off` +
      (moved ? ` (${task.state}${since}: ${moved.reason})` : ''),
    {
      hint:
        task.state === 'escalated'
          ? `it waits for the owning lane's decision (packgate task show ${taskId} lists the escalation); ` +
            `then resume it in its worktree with ${start}, and hand it off from there`
          : task.state === 'ready' || task.state === 'blocked'
            ? `${task.state === 'blocked' ? 'once what blocks it is cleared, ' : ''}start it (${start}), ` +
              'do the work in its worktree, then hand it off'
            : `move it to ready when it can go on (packgate task move ${taskId} ready --reason ...), ` +
              `start it (${start}), then hand it off`,
    },
  );
}
