import { spawn, type ChildProcess } from 'node:child_process';
import { freePorts, REPO } from '../helpers/ports.ts';

/** The project root: the stack is started from there, as Playwright's webServer does. */
export const ROOT = REPO;

/** Test values for the local environment's secrets, so no generated secret in .packgate/ is read or written. */
export const TEST_PASSWORD = 'stack-test-password-9f2c';
/** Grace's (the member's) password. */
export const TEST_MEMBER_PASSWORD = 'stack-test-member-password-7d31';
export const TEST_CLIENT_SECRET = 'stack-test-client-secret-41be';

export type StackOptions = {
  /** PACKGATE_STACK_FAULTS; unset means none. */
  faults?: string;
  appPort?: number;
  apiPort?: number;
  idpPort?: number;
  /** Arguments after `stack/run.js`; default `--env local`. */
  args?: string[];
  /** The script to run instead of `stack/run.js`: `bin/packgate.js`, to start it as a user does. */
  script?: string;
  /** The project to start it in (a TempProject's copy); default this one. */
  cwd?: string;
  /** More env vars for the stack, e.g. its shape (PACKGATE_STACK_LOGIN_UI). */
  env?: Record<string, string>;
};

export type StackProcess = {
  appUrl: string;
  apiUrl: string;
  issuerUrl: string;
  /** The env vars the stack was started with (URLs, secrets, faults), for computing its fingerprint. */
  env: Record<string, string>;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
};

export type RunningStack = StackProcess & {
  /** SIGTERM (SIGKILL after 5 s), then the exit code: null when it had to be killed. */
  stop(): Promise<{ code: number | null }>;
};

/** Spawns `node stack/run.js --env local` on its own ports, without waiting. */
export async function spawnStack(options: StackOptions = {}): Promise<StackProcess> {
  const [freeApp, freeApi, freeIdp] = await freePorts(3);
  const appPort = options.appPort ?? freeApp;
  const apiPort = options.apiPort ?? freeApi;
  const idpPort = options.idpPort ?? freeIdp;
  const appUrl = `http://127.0.0.1:${appPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const issuerUrl = `http://127.0.0.1:${idpPort}/realms/gpuaas`;
  const env: Record<string, string> = {
    PACKGATE_LOCAL_APP_URL: appUrl,
    PACKGATE_LOCAL_API_URL: apiUrl,
    PACKGATE_LOCAL_ISSUER_URL: issuerUrl,
    PACKGATE_LOCAL_USER_PASSWORD: TEST_PASSWORD,
    PACKGATE_LOCAL_MEMBER_PASSWORD: TEST_MEMBER_PASSWORD,
    PACKGATE_LOCAL_CLIENT_SECRET: TEST_CLIENT_SECRET,
    ...(options.faults !== undefined ? { PACKGATE_STACK_FAULTS: options.faults } : {}),
    ...options.env,
  };
  // Nothing from the caller's environment may change which stack starts (faults, URLs, secrets).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PACKGATE_')));
  const child = spawn(process.execPath, [options.script ?? 'stack/run.js', ...(options.args ?? ['--env', 'local'])], {
    cwd: options.cwd ?? ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', chunk => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', chunk => (stderr += chunk));
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  return { appUrl, apiUrl, issuerUrl, env, child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs a stack that is expected to refuse to start, and returns how it exited. */
export async function runStackToExit(
  options: StackOptions = {},
  timeoutMs = 10_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const stack = await spawnStack(options);
  const timer = setTimeout(() => stack.child.kill('SIGKILL'), timeoutMs);
  const code = await stack.exited;
  clearTimeout(timer);
  return { code, stdout: stack.stdout(), stderr: stack.stderr() };
}

/** Starts a stack and waits until its ready URL answers 200; throws with its stderr if it exits first. */
export async function startStack(options: StackOptions = {}, timeoutMs = 15_000): Promise<RunningStack> {
  const started = performance.now();
  const stack = await spawnStack(options);
  let exitCode: number | null | undefined;
  void stack.exited.then(code => (exitCode = code));
  const readyUrl = `${stack.appUrl}/__stack/ready`;
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`the stack exited with code ${exitCode} before it was ready:\n${stack.stderr()}`);
    if (performance.now() - started > timeoutMs) {
      stack.child.kill('SIGKILL');
      throw new Error(`the stack was not ready within ${timeoutMs} ms:\n${stack.stderr()}`);
    }
    const ok = await fetch(readyUrl).then(
      r => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  return {
    ...stack,
    async stop() {
      if (exitCode !== undefined) return { code: exitCode };
      stack.child.kill('SIGTERM');
      const killer = setTimeout(() => stack.child.kill('SIGKILL'), 5000);
      const code = await stack.exited;
      clearTimeout(killer);
      return { code };
    },
  };
}
