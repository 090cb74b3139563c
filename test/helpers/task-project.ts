import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestInfo } from '@playwright/test';
import Database from 'better-sqlite3';
import { REPO, TempProject, type RunResult } from './temp-project.ts';

/** The requirements document's own example, as env vars for `make agent-context-packet`. */
export const EXAMPLE_TASK = 'C-DEPLOYED-AUTH-LOGIN-RELEASE-GATE-001';
export const EXAMPLE_ENV = {
  TASK_ID: EXAMPLE_TASK,
  OWNER_LANE: 'C-ops',
  GOAL: 'Add deployed auth/login release gate for demo',
  ACCEPTANCE: 'OIDC callback smoke blocks failure;browser login plan recorded',
  WORKFLOW_REGRESSION_PACK: 'auth-session',
};

/** Who commits in a test's repository: git refuses to commit without a name and an email. */
export const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'packgate test',
  GIT_AUTHOR_EMAIL: 'test@packgate.invalid',
  GIT_COMMITTER_NAME: 'packgate test',
  GIT_COMMITTER_EMAIL: 'test@packgate.invalid',
};

/**
 * A temp copy of the project as a git repository with governance.yaml and the Makefile, for the
 * queue commands: packets, tasks (with worktrees), drift and handoff.
 */
export class TaskProject {
  private constructor(readonly temp: TempProject) {}

  static async create(testInfo: TestInfo, options: { git?: boolean } = {}): Promise<TaskProject> {
    const temp = await TempProject.create(testInfo, {
      'governance.yaml': fs.readFileSync(path.join(REPO, 'governance.yaml'), 'utf8'),
      Makefile: fs.readFileSync(path.join(REPO, 'Makefile'), 'utf8'),
      '.gitignore': fs.readFileSync(path.join(REPO, '.gitignore'), 'utf8'),
    });
    // The temp project lies inside packgate's own checkout: git must never climb out of it into that
    // repository (a worktree or branch made there would land in the real one).
    Object.assign(temp.env, GIT_IDENTITY, {
      PACKGATE_ACTOR: 'tester',
      GIT_CEILING_DIRECTORIES: path.dirname(temp.dir),
    });
    installLikeDependencies(temp.dir);
    const project = new TaskProject(temp);
    if (options.git !== false) {
      project.git(['init', '-q', '-b', 'main']);
      project.commitAll('the project');
    }
    return project;
  }

  get dir(): string {
    return this.temp.dir;
  }

  /** Runs the CLI in the project, or in `cwd` (a task's worktree, or a folder below it) with the project's env. */
  packgate(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<RunResult> {
    if (!cwd) return this.temp.packgate(args, env);
    const bin = fs.existsSync(path.join(cwd, 'bin/packgate.js')) ? cwd : this.dir;
    return this.run(process.execPath, [path.join(bin, 'bin/packgate.js'), ...args], env, cwd);
  }

  /** `packgate ... --json`, parsed. */
  async json<T = Record<string, unknown>>(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ result: RunResult; body: T }> {
    const result = await this.packgate([...args, '--json'], env);
    return { result, body: JSON.parse(result.stdout) as T };
  }

  /** The document's example packet, written and recorded: the task is ready. */
  async examplePacket(env: Record<string, string> = {}): Promise<RunResult> {
    const result = await this.packgate(['packet', 'new'], { ...EXAMPLE_ENV, ...env });
    if (result.exitCode !== 0) throw new Error(`packet new failed:\n${result.output}`);
    return result;
  }

  /** `playwright test` in `cwd` (a task's worktree), with the project's own stack ports. */
  playwright(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
    return this.run(
      process.execPath,
      [path.join(cwd, 'node_modules/@playwright/test/cli.js'), 'test', ...args],
      { CI: '', ...env },
      cwd,
    );
  }

  make(target: string, env: Record<string, string>): Promise<RunResult> {
    return this.run('make', ['--no-print-directory', target], env, this.dir);
  }

  /** A process with only PATH, HOME and the project's env: nothing of the outer test run leaks in. */
  private run(file: string, args: string[], env: Record<string, string>, cwd: string): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...this.temp.env, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', c => (stdout += c));
      child.stderr.on('data', c => (stderr += c));
      child.on('error', reject);
      child.on('close', code => resolve({ exitCode: code ?? 1, stdout, stderr, output: stdout + stderr }));
    });
  }

  git(args: string[], cwd = this.dir): string {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_IDENTITY, GIT_CEILING_DIRECTORIES: path.dirname(this.dir) },
    });
  }

  commitAll(message: string, cwd = this.dir): void {
    this.git(['add', '-A'], cwd);
    this.git(['commit', '-q', '-m', message], cwd);
  }

  write(files: Record<string, string | null>, cwd = this.dir): void {
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(cwd, file);
      if (content === null) fs.rmSync(full, { force: true });
      else {
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, content);
      }
    }
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.dir, file), 'utf8');
  }

  exists(file: string): boolean {
    return fs.existsSync(path.join(this.dir, file));
  }

  /** Every row of every table of the SQLite store, to show a refused command wrote nothing. */
  storeSnapshot(): Record<string, unknown[]> | 'no store' {
    const file = path.join(this.dir, '.packgate/queue.db');
    if (!fs.existsSync(file)) return 'no store';
    const db = new Database(file, { readonly: true });
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{
        name: string;
      }>;
      return Object.fromEntries(tables.map(t => [t.name, db.prepare(`SELECT * FROM "${t.name}"`).all()]));
    } finally {
      db.close();
    }
  }

  /** Runs SQL against the SQLite store (to age a heartbeat, say). */
  sql(statement: string, ...params: unknown[]): void {
    const db = new Database(path.join(this.dir, '.packgate/queue.db'));
    try {
      db.prepare(statement).run(...params);
    } finally {
      db.close();
    }
  }
}

/**
 * Makes the project's node_modules a folder, as an install makes it, of links to packgate's own
 * packages, in place of the one link to it: `.gitignore`'s `node_modules/` matches a folder, not a
 * link, and a committed link would reach every task worktree through git and hide whether `task
 * start` links and ignores its own.
 */
function installLikeDependencies(dir: string): void {
  const modules = path.join(dir, 'node_modules');
  const source = fs.realpathSync(modules);
  fs.rmSync(modules);
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(source)) fs.symlinkSync(path.join(source, entry), path.join(modules, entry));
}

/**
 * A bugfix task on auth-session, started in its worktree with a commit on its branch, in a project
 * whose governance names `coordinator` as the review coordinator: what `review record` records on.
 */
export async function startedBugfix(
  testInfo: TestInfo,
  id = 'BUG-1',
): Promise<{ project: TaskProject; worktree: string; base: string; fix: string }> {
  const project = await TaskProject.create(testInfo);
  const base = project.git(['rev-parse', 'HEAD']).trim();
  const packet = await project.packgate([
    'packet',
    'new',
    '--task-id',
    id,
    '--kind',
    'bugfix',
    '--owner-lane',
    'C-ops',
    '--goal',
    'Fix the demo callback the IdP refuses',
    '--pack',
    'auth-session',
    '--acceptance',
    'the callback is accepted on demo',
  ]);
  if (packet.exitCode !== 0) throw new Error(`packet new failed:\n${packet.output}`);
  const start = await project.packgate(['task', 'start', id, '--session', 'agent-1']);
  if (start.exitCode !== 0) throw new Error(`task start failed:\n${start.output}`);
  const worktree = `${project.dir}/.packgate/worktrees/${id}`;
  project.write({ 'packs/auth-session/notes.md': 'the callback fix\n' }, worktree);
  project.commitAll('the fix', worktree);
  return { project, worktree, base, fix: project.git(['rev-parse', 'HEAD'], worktree).trim() };
}
