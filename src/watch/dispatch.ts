import { PackgateError } from '../diagnostics/errors.ts';
import type { WatchConfig } from '../governance/governance-schema.ts';
import type { Handoff } from '../loop/handoff-schema.ts';
import type { OpenedTask } from '../loop/open-task.ts';
import { runHandoff } from '../loop/run-handoff.ts';
import { startTask, type StartTaskOptions } from '../loop/start-task.ts';
import { watchPacketSchema, type WatchPacket } from './watch-packet-schema.ts';
import { shellQuote } from '../text/shell-quote.ts';
import { runWatch, type WatchRunOptions, type WatchRunResult } from './run-watch.ts';

export type Provider = WatchConfig['providers'][string];

export type DispatchOptions = Omit<StartTaskOptions, 'worktree' | 'force' | 'base'> &
  Pick<WatchRunOptions, 'config' | 'outputDir' | 'env' | 'interrupt' | 'stdout' | 'stderr'> & {
    provider: { name: string } & Provider;
  };

export type Dispatched = {
  worktree: string;
  packetFile: string;
  command: string;
  watched: Extract<WatchRunResult, { ran: true }>;
  /** The handoff when the provider succeeded: recorded (`digest`) or refused (`handoff.missing`). */
  handoff?: { handoff: Handoff; digest?: string };
  /** Released back to ready because the provider did not succeed. */
  released: boolean;
};

/**
 * Dispatches a worker to a task, through the same machinery as a watcher:
 * 1. the task is started for a new session (claim, worktree with the packet inside);
 * 2. the provider's command runs in the worktree as a watched run ({packet} and {worktree} filled
 *    in, shell-quoted): heartbeats, a log by digest, a closeout, `watch` events;
 * 3. success: the task is handed off from git and the store (a handoff refused for what it misses
 *    writes nothing and leaves the task in progress, for the worker to finish);
 *    otherwise: the task is released back to ready, on the record;
 * 4. the worker's session ends once it holds nothing (released, or handed off): a session per
 *    dispatch left open would pile up in the registry. One still holding the task (a handoff refused)
 *    stays, for the worker to finish under it.
 * Which files the worker may change is judged by the handoff's drift rules, as for any worker, so
 * the watched run's allowed fixes are everything.
 */
export async function dispatchTask(
  options: DispatchOptions,
  opened: (worktree: string, base: string) => Promise<OpenedTask>,
): Promise<Dispatched> {
  const { store, taskId, session, actor, provider } = options;
  const started = await startTask({ ...options, worktree: true });
  const worktree = started.worktree!;
  const command = fillTemplate(provider.command, { packet: started.packetFile!, worktree });
  const packet: WatchPacket = watchPacketSchema.parse({
    schema_version: 1,
    id: `dispatch-${provider.name}`,
    task_id: taskId,
    lane: options.packet.owner_lane,
    watch: { command },
    expected_duration: provider.expected_duration,
    allowed_fixes: ['**'],
  });
  const watched = await runWatch({ ...options, packet, command, cwd: worktree });
  if (!watched.ran) throw new PackgateError('INTERNAL', `dispatch of ${taskId} was refused by its allowed fixes`);
  const { closeout } = watched;
  if (closeout.status !== 'success') {
    await store.release(taskId, {
      session: session.id,
      to: 'ready',
      actor,
      reason: `provider ${provider.name} ended ${closeout.status}${closeout.class ? ` (${closeout.class})` : ''}: closeout #${closeout.id}`,
    });
    await store.endSession(session.id);
    return { worktree, packetFile: started.packetFile!, command, watched, released: true };
  }
  const handoff = await runHandoff(store, await opened(worktree, started.base!), {
    risks: [],
    actor,
    dryRun: false,
  });
  if (handoff.digest) await store.endSession(session.id);
  return { worktree, packetFile: started.packetFile!, command, watched, handoff, released: false };
}

/** A provider's command template with {packet} and {worktree} replaced by their shell-quoted paths. */
export function fillTemplate(template: string, values: { packet: string; worktree: string }): string {
  return template.replace(/\{(packet|worktree)\}/g, (_, key: 'packet' | 'worktree') => shellQuote(values[key]));
}
