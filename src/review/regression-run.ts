import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../catalogue/load.ts';
import { DEFAULT_STORE_URL_ENV } from '../store/configured.ts';
import { TASK_ID_VAR } from '../loop/task-id-var.ts';
import { outcomesOfPackEvidence, type TestOutcome } from './test-outcomes.ts';
import type { Layer } from '../schema/common.ts';
import { OUTPUT_DIR_VAR } from '../schema/constants.ts';
import { freePorts } from '../net/free-port.ts';
import { isLocalhostName } from '../net/localhost-names.ts';
import { INTERRUPT_SIGNALS } from '../process/interrupt.ts';
import { isLoopbackHost } from '../net/loopback.ts';

/** Variables of the caller's shell that would tie a proof run to a task, a session or a shared store. */
const NOT_PASSED_ON = [TASK_ID_VAR, 'PACKGATE_SESSION', OUTPUT_DIR_VAR, 'PACKGATE_STACK_FAULTS', 'PACKGATE_STACK'];

export type RegressionRunRequest = {
  /** The project inside a scratch worktree, and its catalogue. */
  project: string;
  catalogue: Catalogue;
  environment: string;
  layer: Layer;
  /** The packs whose specs the run selects: the regression's and those that depend on it. */
  packs: readonly string[];
  /** What every run of one proof shares: the stack's ports and generated secrets. */
  env: Record<string, string | undefined>;
};

export type RegressionRun = {
  command: string;
  exitCode: number | null;
  /** verdict.json as the gate wrote it, when it did. */
  verdictBytes: Buffer | undefined;
  verdict: string;
  /** stdout and stderr of the run, as it printed them (not yet redacted). */
  log: string;
  outcomes: TestOutcome[];
};

/**
 * One gate run of the packs at one layer in a scratch worktree: `playwright test
 * --project=<env>-<layer> <packs>/<id>/ ...` with the gate's own reporters, its output in a folder
 * of its own, the embedded stack started by the config's webServer from the worktree's code. It runs
 * without TASK_ID, a session or a shared store URL, so it is recorded as no task's gate run (a
 * configured SQLite store lands inside the scratch worktree and goes with it).
 */
export async function runRegressionPacks(request: RegressionRunRequest): Promise<RegressionRun> {
  const { project, catalogue } = request;
  const outputDir = path.join(project, '.packgate', 'proof-output');
  const packsDir = catalogue.manifest.value.packs_dir;
  const args = [
    'test',
    `--project=${request.environment}-${request.layer}`,
    ...request.packs.map(id => `${packsDir}/${id}/`),
  ];
  const env: Record<string, string | undefined> = { ...request.env };
  for (const name of [...NOT_PASSED_ON, catalogue.manifest.value.store?.url_env ?? DEFAULT_STORE_URL_ENV])
    delete env[name];
  env[OUTPUT_DIR_VAR] = outputDir;
  const cli = path.join(project, 'node_modules/@playwright/test/cli.js');
  const { exitCode, log } = await runProcess(process.execPath, [cli, ...args], project, env);
  const verdictFile = path.join(outputDir, 'verdict.json');
  const verdictBytes = fs.existsSync(verdictFile) ? fs.readFileSync(verdictFile) : undefined;
  const verdict = verdictBytes ? (JSON.parse(verdictBytes.toString('utf8')) as { verdict: string }).verdict : 'NONE';
  const outcomes: TestOutcome[] = [];
  const evidence = path.join(outputDir, 'evidence');
  for (const pack of fs.existsSync(evidence) ? fs.readdirSync(evidence).sort() : []) {
    const file = path.join(evidence, pack, 'evidence.json');
    if (fs.existsSync(file)) outcomes.push(...outcomesOfPackEvidence(fs.readFileSync(file, 'utf8')));
  }
  return { command: `npx playwright ${args.join(' ')}`, exitCode, verdictBytes, verdict, log, outcomes };
}

/**
 * The environment both runs of a proof share: the caller's, with the embedded environment's loopback
 * URLs moved to free ports (a stack someone left running on the usual ports, with other code, is never
 * reused; below the ephemeral range, so they stay free until the second run: see freePorts) and its
 * generated secrets fixed, so the proof knows every secret value it must redact.
 * Loopback is 127.0.0.0/8, ::1, `localhost` and `*.localhost`; each port moves to one new port, so
 * hosts routed on one ingress port (a stack in deployment shape) stay on one, and its readiness
 * probe moves with them.
 */
export async function proofEnvironment(
  catalogue: Catalogue,
  environment: string,
  base: Record<string, string | undefined> = process.env,
): Promise<{ env: Record<string, string | undefined>; secretValues: string[] }> {
  const env = { ...base };
  const descriptor = catalogue.environments.get(environment)!.value;
  const loopback: Array<{ name: string; current: string; url: URL; port: string }> = [];
  for (const value of [...Object.values(descriptor.urls), descriptor.stack?.readyUrl]) {
    if (typeof value !== 'object' || !value) continue;
    const current = env[value.env] || value.default;
    if (!current) continue;
    const url = new URL(current);
    if (!isLoopbackHost(url.hostname) && !isLocalhostName(url.hostname)) continue;
    loopback.push({ name: value.env, current, url, port: url.port || (url.protocol === 'https:' ? '443' : '80') });
  }
  const ports = [...new Set(loopback.map(u => u.port))];
  const free = await freePorts(ports.length);
  for (const { name, current, url, port } of loopback) {
    url.port = String(free[ports.indexOf(port)]);
    env[name] = url.href.replace(/\/$/, current.endsWith('/') ? '/' : '');
  }
  const secretValues: string[] = [];
  for (const ref of Object.values(descriptor.secrets)) {
    if (!env[ref.env] && ref.generate) env[ref.env] = randomBytes(18).toString('base64url');
    if (env[ref.env]) secretValues.push(env[ref.env]!);
  }
  return { env, secretValues };
}

/**
 * Runs a process to its end, its output collected. It gets a process group of its own, so an
 * interrupt of packgate stops it (and the stack its webServer started) as Playwright stops on
 * Ctrl-C, before the scratch worktree it runs in is removed (see withScratchWorktree).
 */
function runProcess(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<{ exitCode: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGINT');
      } catch {
        // Gone already.
      }
    };
    // The signals withScratchWorktree removes its worktree on (a closed terminal's SIGHUP too).
    for (const signal of INTERRUPT_SIGNALS) process.prependListener(signal, stop);
    const done = () => INTERRUPT_SIGNALS.forEach(signal => process.off(signal, stop));
    let log = '';
    child.stdout.on('data', chunk => (log += chunk));
    child.stderr.on('data', chunk => (log += chunk));
    child.on('error', error => (done(), reject(error)));
    child.on('close', code => (done(), resolve({ exitCode: code, log })));
  });
}
