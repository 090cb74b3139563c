import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestInfo } from '@playwright/test';
import type { VerdictFile } from '../../src/schema/verdict.ts';
import { freePorts, REPO } from './ports.ts';

export { REPO };

/** What a packgate project is made of; node_modules is linked, not copied. */
const PROJECT_FILES = [
  'packgate.yaml',
  'playwright.config.ts',
  'package.json',
  'tsconfig.json',
  'packs',
  'environments',
  'seeds',
  'stack',
  'fixtures',
  'reporters',
  'src',
  'schemas',
  'scripts',
  'bin',
];

export type RunResult = { exitCode: number; stdout: string; stderr: string; output: string };

/**
 * A copy of this project in the test's output folder, to change with inline files and run for real
 * (`playwright test`, `packgate ...`), the way Playwright tests its own runner.
 */
export class TempProject {
  /** Env vars every run in this project gets: its own stack ports, so runs never share a stack. */
  readonly env: Record<string, string> = {};

  private constructor(readonly dir: string) {}

  static async create(testInfo: TestInfo, files: Record<string, string | null> = {}): Promise<TempProject> {
    const dir = testInfo.outputPath('project');
    copyProject(dir);
    const project = new TempProject(dir);
    const [app, idp, api] = await freePorts(3);
    project.env.PACKGATE_LOCAL_APP_URL = `http://127.0.0.1:${app}`;
    project.env.PACKGATE_LOCAL_ISSUER_URL = `http://127.0.0.1:${idp}/realms/gpuaas`;
    project.env.PACKGATE_LOCAL_API_URL = `http://127.0.0.1:${api}`;
    project.write(files);
    return project;
  }

  /**
   * Moves the parity environment (the stack in deployment shape) to free ports: its ingress (every
   * host's one https port) and its readiness probe. Returns the app's URL.
   */
  async useParityPorts(): Promise<string> {
    const [ingress, probe] = await freePorts(2);
    const at = (host: string, path = '') => `https://${host}.gpuaas.localhost:${ingress}${path}`;
    Object.assign(this.env, {
      PACKGATE_PARITY_APP_URL: at('app'),
      PACKGATE_PARITY_API_URL: at('api'),
      PACKGATE_PARITY_ISSUER_URL: at('auth', '/realms/gpuaas'),
      PACKGATE_PARITY_NOTEBOOKS_URL: at('notebooks'),
      PACKGATE_PARITY_PROBE_URL: `http://127.0.0.1:${probe}`,
    });
    return at('app');
  }

  /** Writes files (relative paths); `null` deletes one. */
  write(files: Record<string, string | null>): void {
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(this.dir, file);
      if (content === null) {
        fs.rmSync(full, { recursive: true, force: true });
        continue;
      }
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    }
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.dir, file), 'utf8');
  }

  exists(file: string): boolean {
    return fs.existsSync(path.join(this.dir, file));
  }

  /** Edits a file in place. */
  edit(file: string, change: (text: string) => string): void {
    this.write({ [file]: change(this.read(file)) });
  }

  packgate(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    return this.spawn([path.join(this.dir, 'bin/packgate.js'), ...args], env);
  }

  playwright(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    return this.spawn([path.join(this.dir, 'node_modules/@playwright/test/cli.js'), 'test', ...args], env);
  }

  /**
   * Starts an environment's stack the way a user would (`packgate stack start`), for runs that
   * point at a stack they did not start; resolves once it is ready. Stop it with `.kill()`. `cwd`
   * runs the stack of another checkout (a task's worktree: the code a fix deploys) on this one's ports.
   */
  async startStack(env: Record<string, string> = {}, cwd = this.dir, environment = 'local'): Promise<ChildProcess> {
    const child = spawn(process.execPath, [path.join(cwd, 'bin/packgate.js'), 'stack', 'start', '--env', environment], {
      cwd,
      env: { ...cleanEnv(), ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        output += chunk;
        if (output.includes(' ready: ')) resolve();
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      child.on('exit', code => reject(new Error(`stack exited with ${code}:\n${output}`)));
    });
    return child;
  }

  verdict(): VerdictFile {
    return JSON.parse(this.read('gate-results/verdict.json')) as VerdictFile;
  }

  /** Runs a node script in the project with a clean environment, as a user's shell would. */
  spawn(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    return this.start(args, env).done;
  }

  /**
   * Starts a node script in a process group of its own, for a test that stops it on the way (kill
   * the group: `process.kill(-child.pid, signal)`); `done` resolves when it has exited.
   */
  start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<RunResult> } {
    const child = spawn(process.execPath, args, {
      cwd: this.dir,
      env: { ...cleanEnv(), ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const done = new Promise<RunResult>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      let output = '';
      child.stdout.on('data', chunk => ((stdout += chunk), (output += chunk)));
      child.stderr.on('data', chunk => ((stderr += chunk), (output += chunk)));
      child.on('error', reject);
      child.on('close', code => resolve({ exitCode: code ?? 1, stdout, stderr, output }));
    });
    return { child, done };
  }
}

/** A fresh copy of this project at `dir`, node_modules linked. */
export function copyProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of PROJECT_FILES) fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

/**
 * The environment of the outer test run, minus what would make a nested run think it is a
 * worker of ours or inherit our settings.
 */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(TEST_|PW_|PLAYWRIGHT_(?!BROWSERS_PATH)|PACKGATE_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '' };
}
