import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { StoreLocation } from '../../../src/store/open.ts';

const WRITER = path.join(import.meta.dirname, 'writer.ts');

/** Packs (and evidence files) in each gate run the churn writer records. */
export const CHURN_PACKS = 12;

/** A writer process, started and waiting for `go()`; `result()` is its JSON line once it exits 0. */
export type Writer = {
  child: ChildProcess;
  ready: Promise<void>;
  go(): void;
  result<T>(): Promise<T>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
};

export function spawnWriter(location: StoreLocation, args: string[]): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(location), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady!: () => void;
  const ready = new Promise<void>(resolve => (markReady = resolve));
  child.stdout!.on('data', chunk => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr!.on('data', chunk => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(resolve =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    child,
    ready: Promise.race([
      ready,
      exited.then(e => Promise.reject(new Error(`writer exited before ready: ${e.stderr}`))),
    ]),
    go: () => child.stdin!.end('go\n'),
    async result<T>() {
      const { code, stderr: err } = await exited;
      if (code !== 0) throw new Error(`writer ${args.join(' ')} exited ${code}:\n${err}`);
      return JSON.parse(stdout.split('\n')[1]) as T;
    },
    exited,
  };
}
