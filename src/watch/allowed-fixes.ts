import fs from 'node:fs';
import { changedFiles, headCommit } from '../git/git.ts';
import { lastWorkspace } from '../loop/task-workspace.ts';
import { firstMatch } from '../packet/glob.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { escalateOnce, type WatchEscalation } from './escalate-once.ts';
import type { WatchPacket } from './watch-packet-schema.ts';

/** The task's diff judged against a watcher's allowed fixes; `outside` are the paths it may not change. */
export type FixJudgement = { dir: string; base: string; head: string | null; paths: string[]; outside: string[] };

/**
 * Judges the watched task's changes (its worktree against the commit its branch started from) by
 * the packet's allowed fixes, as drift judges a worker's by owned_files. A task without a worktree
 * has no diff to judge: undefined.
 */
export async function judgeFixes(store: QueueStore, packet: WatchPacket): Promise<FixJudgement | undefined> {
  const task = await store.requireTask(packet.task_id);
  const { worktree, base } = lastWorkspace(task, await store.events(task.id, 'claim'));
  if (!worktree || !base || !fs.existsSync(worktree)) return undefined;
  const paths = changedFiles(worktree, base).map(c => c.path);
  const outside = paths.filter(p => !firstMatch(packet.allowed_fixes, p));
  return { dir: worktree, base, head: headCommit(worktree) ?? null, paths, outside };
}

/**
 * Escalates the task for changes outside the allowed fixes (source watch), with every path of the
 * diff; unless that escalation is open already (a re-run refused again).
 */
export async function escalateFixes(
  store: QueueStore,
  packet: WatchPacket,
  judged: FixJudgement,
  actor: string,
  stopConditions: readonly string[],
): Promise<WatchEscalation> {
  return escalateOnce(store, {
    taskId: packet.task_id,
    source: 'watch',
    to: packet.lane,
    reason:
      `watcher ${packet.id}: the task changed ${judged.outside.join(', ')}, outside its allowed fixes ` +
      `(${packet.allowed_fixes.join(', ') || 'none'})`,
    details: { watcher: packet.id, outside: judged.outside, allowedFixes: packet.allowed_fixes },
    paths: judged.paths,
    base: judged.base,
    head: judged.head,
    stopConditions: [...stopConditions],
    createdBy: actor,
  });
}
