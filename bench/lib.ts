import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium } from '../src/browser/chromium.ts';

/** Shared by the bench scripts: running commands, summarising figures, recording them. */

export const root = path.resolve(import.meta.dirname, '..');
export const out = path.join(root, 'bench/out');

/** Runs `node <args>` in `cwd` with extra env vars; resolves with its exit code and wall time. */
export function exec(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...withoutPackgateVars(process.env), ...env, CI: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', code => resolve({ code: code ?? 1, ms: Math.round(performance.now() - started) }));
  });
}

/** The caller's environment without PACKGATE_* settings, so a bench measures what it says. */
function withoutPackgateVars(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('PACKGATE_')),
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** The machine and versions a figure was measured on. */
export function machine(): string {
  return (
    `Machine: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `${os.type()} ${os.release()}; Node ${process.version}; Playwright ${playwrightVersion()}; Chromium ${chromiumVersion()}.`
  );
}

function playwrightVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@playwright/test/package.json'), 'utf8')).version;
}

function chromiumVersion(): string {
  // The build headless runs launch: the headless shell when the machine has one.
  const choice = findChromium();
  const executable = choice?.headlessShell ?? choice?.executablePath ?? chromium.executablePath();
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const RESULTS_MARKER = '<!-- results: newest first -->';

/**
 * Adds a report at the top of a list of results in bench/RESULTS.md (newest first): the gate's,
 * or another bench's under its own marker line, with `section` written first when the file has none.
 */
export function recordResults(report: string, marker = RESULTS_MARKER, section?: string): void {
  const file = path.join(root, 'bench/RESULTS.md');
  let text = fs.readFileSync(file, 'utf8');
  if (!text.includes(marker)) {
    if (!section) throw new Error(`bench/RESULTS.md has no "${marker}" line to add results under`);
    text += `\n${section}\n${marker}\n`;
  }
  fs.writeFileSync(file, text.replace(marker, `${marker}\n\n${report.trimEnd()}\n`));
  log(`recorded in ${path.relative(process.cwd(), file)}`);
}

/** The median and 95th percentile of `runs` timed calls of `fn`, in ms to one decimal. */
export async function percentiles(fn: () => Promise<unknown>, runs: number): Promise<{ median: number; p95: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { median: round(samples[Math.floor(runs / 2)]), p95: round(samples[Math.ceil(runs * 0.95) - 1]) };
}

export function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}
