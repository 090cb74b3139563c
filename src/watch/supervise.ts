import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Redactor } from '../evidence/redact.ts';
import type { RunEnd } from './classify.ts';
import { RedactingLog } from './redacting-log.ts';

export type SuperviseOptions = {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the process group after this long. */
  deadlineMs: number;
  /** Where the combined output goes, besides the terminal: redacted line by line as it comes. */
  logFile: string;
  redact: Redactor;
  /** Between SIGTERM and SIGKILL of the group. */
  killGraceMs?: number;
  /** Called every `heartbeatMs` while the command runs (errors are the caller's to report). */
  heartbeat?: () => void;
  heartbeatMs?: number;
  /** Aborted when packgate is interrupted (SIGINT/SIGTERM): the group is killed and the run recorded `interrupted`. */
  interrupt?: AbortSignal;
  /** Where to tee the output; default the terminal. */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
};

export type Supervised = RunEnd & { pid: number | undefined; startedAt: Date; durationMs: number };

/**
 * Runs a command through the shell in a process group of its own, its output teed to the terminal
 * and the log file, and ends it when it must: past the deadline, or when `interrupt` is aborted
 * (packgate got SIGINT or SIGTERM), the whole group is sent SIGTERM, then SIGKILL after a short grace. Processes the command
 * leaves behind are ended with it (SIGKILL as the command exits): a watcher owns its group. Exit is noticed by the child's own
 * event, never by polling, so the supervision adds next to nothing to the command's wall time.
 */
export function supervise(options: SuperviseOptions): Promise<Supervised> {
  const killGraceMs = options.killGraceMs ?? 2000;
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = new RedactingLog(options.logFile, options.redact);
  const startedAt = new Date();
  const started = performance.now();
  const child = spawn('/bin/sh', ['-c', options.command], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  child.stdout!.on('data', (chunk: Buffer) => (out.write(chunk), log.write(chunk, 'stdout')));
  child.stderr!.on('data', (chunk: Buffer) => (err.write(chunk), log.write(chunk, 'stderr')));

  let timedOut = false;
  let interrupted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  const stop = () => {
    killGroup('SIGTERM');
    killTimer ??= setTimeout(() => killGroup('SIGKILL'), killGraceMs);
  };
  const deadline = setTimeout(() => ((timedOut = true), stop()), options.deadlineMs);
  const onInterrupt = () => ((interrupted = true), stop());
  if (options.interrupt?.aborted) onInterrupt();
  options.interrupt?.addEventListener('abort', onInterrupt);
  const beat = options.heartbeat && setInterval(options.heartbeat, options.heartbeatMs ?? 60_000);

  return new Promise((resolve, reject) => {
    child.on('error', error => {
      cleanup();
      log.end(() => reject(error));
    });
    child.on('exit', (exitCode, signal) => {
      const durationMs = performance.now() - started;
      // What the command left running in its group goes with it; then its pipes close.
      killGroup('SIGKILL');
      cleanup();
      const finish = () =>
        log.end(() => resolve({ exitCode, signal, timedOut, interrupted, pid: child.pid, startedAt, durationMs }));
      // Output still in the pipes is read before the log closes; a pipe a stray process holds is not waited for long,
      // and then let go: a process that left the group (setsid, a daemon) would keep packgate alive, closed out, until it ends.
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish();
      };
      child.once('close', once);
      setTimeout(once, 200).unref();
    });
  });

  function cleanup() {
    clearTimeout(deadline);
    if (killTimer) clearTimeout(killTimer);
    if (beat) clearInterval(beat);
    options.interrupt?.removeEventListener('abort', onInterrupt);
  }
}
