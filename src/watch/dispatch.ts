import { PackgateError } from '../diagnostics/errors.ts';
import { errorLine } from '../diagnostics/first-line.ts';
import { displayPath } from '../fs/named-file.ts';
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
  /** Released because the provider did not succeed. */
  released: boolean;
  /** Where it was released to: the state it was claimed from (a blocked or escalated task keeps its flag), else ready. */
  releasedTo?: ReleaseState;
};

type ReleaseState = 'ready' | 'blocked' | 'escalated';

/**
 * Dispatches a worker to a task, through the same machinery as a watcher:
 * 1. the task is started for a new session (claim, worktree with the packet inside);
 * 2. the provider's command runs in the worktree as a watched run ({packet} and {worktree} filled
 *    in, shell-quoted): heartbeats, a log by digest, a closeout, `watch` events; a run that fails before
 *    its closeout (the command could not start, a store write failed), or after it (git judging its
 *    diff), gives the task back to the state it was claimed from and ends the session, then throws:
 *    nobody would work the task it holds. Its reason says which, by the closeout recorded or not;
 * 3. success: the task is handed off from git and the store (a handoff refused for what it misses
 *    writes nothing and leaves the task in progress, for the worker to finish; one that throws, git or
 *    the store failing, gives the task back and ends the session as in 2, the work kept in the worktree);
 *    otherwise: the task is released back to the state it was claimed from (ready; blocked or escalated
 *    keep their flag: a worker that failed answered nothing), on the record;
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
  let watched: WatchRunResult;
  try {
    watched = await runWatch({ ...options, packet, command, cwd: worktree });
  } catch (error) {
    // Before the closeout (the command could not start, a store write failed), or after it (git judging
    // the diff, an escalation written): the record says which, and after it the provider has worked.
    const closeout = await store.watchCloseouts({ taskId }).then(
      all => all.find(c => c.session === session.id) ?? null,
      () => undefined,
    );
    if (closeout) throw await giveBack(options, error, `after closeout #${closeout.id}, before its handoff`, worktree);
    throw await giveBack(options, error, closeout === null ? 'before its closeout' : 'in its watched run');
  }
  if (!watched.ran) throw new PackgateError('INTERNAL', `dispatch of ${taskId} was refused by its allowed fixes`);
  const { closeout } = watched;
  if (closeout.status !== 'success') {
    const to = await claimedFrom(options);
    await store.release(taskId, {
      session: session.id,
      to,
      actor,
      reason: `provider ${provider.name} ended ${closeout.status}${closeout.class ? ` (${closeout.class})` : ''}: closeout #${closeout.id}`,
    });
    await store.endSession(session.id);
    return { worktree, packetFile: started.packetFile!, command, watched, released: true, releasedTo: to };
  }
  let handoff: Awaited<ReturnType<typeof runHandoff>>;
  try {
    handoff = await runHandoff(store, await opened(worktree, started.base!), { risks: [], actor, dryRun: false });
  } catch (error) {
    // Not a refusal (that returns): git or the store failed. No worker is left to finish under the session.
    throw await giveBack(options, error, `at its handoff, after closeout #${closeout.id}`, worktree);
  }
  if (handoff.digest) await store.endSession(session.id);
  return { worktree, packetFile: started.packetFile!, command, watched, handoff, released: false };
}

/**
 * After a dispatch that threw (a watched run with no closeout or failing after it, or a handoff that
 * failed rather than refused): the task goes back to the state it was claimed from (blocked and escalated keep their
 * flag, as a start that fails does; ready otherwise), and the worker's session ends. Best effort:
 * what went wrong first is what the caller sees, told where the task went and, when the provider
 * had worked in it, where its work is; or, when the store would not take the release either, which
 * session still holds the task and how to release it.
 */
async function giveBack(options: DispatchOptions, error: unknown, when: string, worked?: string): Promise<unknown> {
  const { store, taskId, session, actor, provider } = options;
  const to = await claimedFrom(options);
  const released = await store
    .release(taskId, {
      session: session.id,
      to,
      actor,
      reason: `dispatch to ${provider.name} failed ${when}: ${errorLine(error)}`,
    })
    .then(
      () => true,
      () => false,
    );
  // The store failing too (unreachable, read-only): the session keeps the task, and the caller is told how to free it.
  if (!released)
    return withHint(
      error,
      `task ${taskId} could not be given back: session ${session.id} still holds it; once the store answers, ` +
        `packgate task release ${taskId} --session ${session.id} --reason "<why>"`,
    );
  await store.endSession(session.id).catch(() => {});
  return withHint(
    error,
    `task ${taskId} is back in ${to}` +
      (worked
        ? `; the provider's work stays in ${displayPath(options.root, worked)}: ` +
          `packgate task start ${taskId} resumes there, then hand it off (packgate handoff --task ${taskId})`
        : ''),
  );
}

/** The state the dispatch claimed the task from: blocked and escalated keep their flag (as a failed start's); ready otherwise. */
async function claimedFrom({ store, taskId }: DispatchOptions): Promise<ReleaseState> {
  const claimed = (await store.transitions(taskId).catch(() => [])).findLast(t => t.to === 'in_progress');
  return claimed?.from === 'blocked' || claimed?.from === 'escalated' ? claimed.from : 'ready';
}

/** A packgate error (without diagnostics, which a new message would list twice) with what the dispatch did added to its hint. */
function withHint(error: unknown, more: string): unknown {
  if (!(error instanceof PackgateError) || error.diagnostics.length) return error;
  const message = error.hint ? error.message.slice(0, -`\n  hint: ${error.hint}`.length) : error.message;
  return new PackgateError(error.code, message, {
    hint: error.hint ? `${error.hint}; ${more}` : more,
    exitCode: error.exitCode,
    cause: error.cause,
  });
}

/** A provider's command template with {packet} and {worktree} replaced by their shell-quoted paths. */
export function fillTemplate(template: string, values: { packet: string; worktree: string }): string {
  return template.replace(/\{(packet|worktree)\}/g, (_, key: 'packet' | 'worktree') => shellQuote(values[key]));
}
