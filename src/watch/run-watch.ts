import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errorLine } from '../diagnostics/first-line.ts';
import { createRedactor } from '../evidence/redact.ts';
import { secretEnvValues } from '../evidence/secret-env.ts';
import type { WatchConfig } from '../governance/governance-schema.ts';
import type { Task } from '../store/queue-schema.ts';
import type { QueueStore, SessionInfo } from '../store/queue-store.ts';
import type { WatchCloseout } from '../store/watch-closeout-schema.ts';
import { escalateFixes, judgeFixes, type FixJudgement } from './allowed-fixes.ts';
import { classifyRun, type Classification } from './classify.ts';
import { applyEscalationRules } from './escalation-rules.ts';
import type { WatchEscalation } from './escalate-once.ts';
import { readRunVerdict } from './read-verdict.ts';
import { notStarted } from './not-started.ts';
import { supervise, type Supervised } from './supervise.ts';
import { durationMs } from '../governance/governance-schema.ts';
import { durationText } from '../schema/governance-values.ts';
import { WATCH_RUN_VAR } from '../schema/constants.ts';
import { watchedCommand, type WatchPacket } from './watch-packet-schema.ts';

/** Where the logs of watched runs are written before they are stored as evidence. */
export const WATCH_LOG_DIR = '.packgate/watch-logs';

export type WatchRunOptions = {
  root: string;
  store: QueueStore;
  packet: WatchPacket;
  config: WatchConfig;
  session: SessionInfo;
  /** End the session once the run is closed out: the caller made it for this run (not one it was given). */
  endSession?: boolean;
  actor: string;
  /** Where the command runs: default the packet's cwd, else the task's worktree, else the root. */
  cwd?: string;
  /** The command instead of the packet's (task dispatch runs its provider's). */
  command?: string;
  /** The gate output folder a watched gate run writes its verdict.json to, relative to the run's cwd. */
  outputDir: string;
  env: NodeJS.ProcessEnv;
  interrupt?: AbortSignal;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
};

export type WatchRunResult =
  | { ran: false; refused: FixJudgement; escalations: WatchEscalation[] }
  | {
      ran: true;
      run: string;
      closeout: WatchCloseout;
      classification: Classification;
      /** Changes outside the allowed fixes found after the run, escalated. */
      refused?: FixJudgement;
      /** Raised now, or found still open (`already`): a watcher does not escalate the same thing twice. */
      escalations: WatchEscalation[];
    };

/**
 * One watched run, start to closeout:
 * 1. the task's diff is judged against the allowed fixes: outside them, the task is escalated and nothing runs;
 * 2. the session is registered and a `watch` {phase: started} event recorded;
 * 3. the command runs supervised (deadline, heartbeats, output to the terminal and a log); one that cannot start
 *    (its log cannot be written, its folder is gone) throws WATCH_NOT_STARTED, saying why;
 * 4. the log is redacted and stored by digest, with the verdict.json the run wrote, if any;
 * 5. the run is classified and closed out (record and `watch` {phase: closed} event in one transaction); a run
 *    that fails in 3 to 5 gets a `watch` {phase: failed} event instead, saying why, and no closeout;
 * 6. the diff is judged again, and the packet's escalation rules over the watcher's closeouts;
 * 7. with `endSession`, the session ends, also when a step after 2 throws (the command could not start, a store
 *    write failed): a watcher's own session left open would pile up in the registry.
 */
export async function runWatch(options: WatchRunOptions): Promise<WatchRunResult> {
  const { store, packet, session, actor } = options;
  const task = await store.requireTask(packet.task_id);
  const stops = stopConditions(task);
  const before = await judgeFixes(store, packet);
  if (before?.outside.length) {
    return { ran: false, refused: before, escalations: [await escalateFixes(store, packet, before, actor, stops)] };
  }

  await store.registerSession(session);
  let result: WatchRunResult;
  try {
    result = await superviseAndClose(options, task, before, stops);
  } catch (error) {
    // Thrown before or during the closeout (the command could not start, a store write failed): the
    // session made for this run ends all the same, or it stays in the registry as a stale worker. Its
    // own failure to end must not hide why the run failed.
    if (options.endSession) await store.endSession(session.id).catch(() => {});
    throw error;
  }
  if (options.endSession) await store.endSession(session.id);
  return result;
}

/** Steps 2 (its started event) to 6 of a watched run, the session registered: whatever it throws, the caller ends the session. */
async function superviseAndClose(
  options: WatchRunOptions,
  task: Task,
  before: FixJudgement | undefined,
  stops: string[],
): Promise<Extract<WatchRunResult, { ran: true }>> {
  const { store, packet, session, actor } = options;
  const run = `${packet.id}-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  await store.addEvent(task.id, 'watch', { phase: 'started', run, packet: packet.id, session: session.id }, actor);
  let closed: { closeout: WatchCloseout; classification: Classification };
  try {
    closed = await runAndCloseOut(options, task, before, run);
  } catch (error) {
    // Over without a closeout (the command could not start, a store write failed): a `watch` {phase: failed}
    // event ends the run, or queue health reads it as one left open. Nothing was watched to a closeout, so
    // it is no closeout. Best effort: its own failure must not hide why the run failed.
    const failed = { phase: 'failed', run, session: session.id, error: errorLine(error) };
    await store.addEvent(task.id, 'watch', failed, actor).catch(() => {});
    throw error;
  }
  const { closeout, classification } = closed;

  const after = await judgeFixes(store, packet);
  const escalations: WatchEscalation[] = after?.outside.length
    ? [await escalateFixes(store, packet, after, actor, stops)]
    : [];
  escalations.push(...(await applyEscalationRules(store, packet, actor, stops)));
  return {
    ran: true,
    run,
    closeout,
    classification,
    ...(after?.outside.length ? { refused: after } : {}),
    escalations,
  };
}

/** Steps 3 to 5 of a watched run: the command supervised, its log and verdict stored, the run classified and closed out. */
async function runAndCloseOut(
  options: WatchRunOptions,
  task: Task,
  before: FixJudgement | undefined,
  run: string,
): Promise<{ closeout: WatchCloseout; classification: Classification }> {
  const { store, packet, session, actor } = options;
  // What the command may print of its environment's secrets, besides what looks like a credential.
  const redact = createRedactor(secretEnvValues(options.env));
  const cwd = options.cwd ?? (packet.cwd ? path.resolve(options.root, packet.cwd) : (before?.dir ?? options.root));
  const command = options.command ?? watchedCommand(packet.watch);
  const logDir = path.join(options.root, WATCH_LOG_DIR);
  const logFile = path.join(logDir, `${run}.log`);
  let ended: Supervised;
  try {
    ended = await supervise({
      command,
      cwd,
      env: {
        ...options.env,
        PACKGATE_SESSION: session.id,
        TASK_ID: packet.task_id,
        [WATCH_RUN_VAR]: run,
        ...('job_id' in packet.watch ? { WATCH_JOB_ID: packet.watch.job_id } : {}),
      },
      deadlineMs: durationMs(packet.expected_duration) * options.config.grace,
      logFile,
      redact,
      heartbeat: () => void store.heartbeat(session.id).catch(() => {}),
      heartbeatMs: options.config.heartbeat_s * 1000,
      interrupt: options.interrupt,
      stdout: options.stdout,
      stderr: options.stderr,
    });
  } catch (error) {
    // Once started, supervise resolves however the command ends: what it throws is a command that never started.
    throw notStarted(error, { root: options.root, watcher: packet.id, logDir, logFile, cwd });
  }

  // The log is evidence: redacted as it was written, and once more whole (what spans lines), on disk and by digest.
  const log = redact(fs.readFileSync(logFile, 'utf8'));
  fs.writeFileSync(logFile, log);
  const { digest: logDigest } = await store.blobs.put(Buffer.from(log));
  const verdict = readRunVerdict(path.resolve(cwd, options.outputDir), run);
  const verdictDigest = verdict ? (await store.blobs.put(verdict.content)).digest : null;
  const classification = classifyRun({
    end: ended,
    log,
    packetClasses: packet.failure.classes,
    projectClasses: options.config.classes,
    success: packet.success,
    verdict,
    deadline: `${durationText(packet.expected_duration)} x watch.grace ${options.config.grace}`,
  });
  const closeout = await store.closeWatch({
    taskId: task.id,
    run,
    watcher: packet.id,
    session: session.id,
    source: 'run',
    status: classification.status,
    class: classification.class,
    lines: classification.lines,
    exitCode: ended.exitCode,
    signal: ended.signal,
    durationMs: ended.durationMs,
    command: redact(command),
    logDigest,
    logPath: path.relative(options.root, logFile).split(path.sep).join('/'),
    verdictDigest,
    verdict: verdict?.verdict ?? null,
    blockingPacks: verdict?.blockingPacks.map(p => p.pack) ?? [],
    startedAt: ended.startedAt.toISOString(),
    createdBy: actor,
  });
  return { closeout, classification };
}

/** The stop conditions of the task's context packet, for the escalations a watcher raises. */
function stopConditions(task: Task): string[] {
  const stops = (task.packet as { stop_conditions?: unknown } | null)?.stop_conditions;
  return Array.isArray(stops) ? stops.filter((s): s is string => typeof s === 'string') : [];
}
