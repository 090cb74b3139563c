import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';

/** Room for a large diff or file list in git's output. */
const MAX_OUTPUT = 64 * 2 ** 20;

/** Runs git in `cwd`; GIT_FAILED with git's own words when it fails. */
export function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: MAX_OUTPUT,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new PackgateError(
      'GIT_FAILED',
      `git ${args.join(' ')} failed in ${cwd}: ${stderr || (error as Error).message}`,
      { cause: error },
    );
  }
}

function tryGit(cwd: string, args: readonly string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

// The questions repoRoot, projectRepo and headCommit ask; a Checkout asks the second of them.
const TOPLEVEL = ['rev-parse', '--show-toplevel'];
const TRACKS_MANIFEST = ['ls-files', '--error-unmatch', 'packgate.yaml'];
const HEAD = ['rev-parse', '--verify', '--quiet', 'HEAD'];

/** The top folder of the work tree `cwd` is in, or undefined outside a git repository. */
export function repoRoot(cwd: string): string | undefined {
  return tryGit(cwd, TOPLEVEL)?.trim();
}

/**
 * The repository the project at `root` is committed in: the one that tracks its packgate.yaml.
 * A project in a folder some outer repository merely contains (ignored, or not yet added) has
 * none: that repository's commits and worktrees are not the project's.
 */
export function projectRepo(root: string): string | undefined {
  const repo = repoRoot(root);
  if (!repo) return undefined;
  return tryGit(root, TRACKS_MANIFEST) === undefined ? undefined : repo;
}

export function headCommit(cwd: string): string | undefined {
  return tryGit(cwd, HEAD)?.trim() || undefined;
}

/** The commit a project is checked out at, and whether its work tree differs from it; empty outside its repository. */
export type Checkout = { commit?: string; dirty?: boolean };

/**
 * What git is asked for a Checkout, in two commands (each one a fork of the gate's runner, which
 * asks while the tests run): that the project's repository tracks packgate.yaml (see projectRepo;
 * it fails outside a repository too), and the status with its header, which names HEAD's commit
 * (`# branch.oid`, `(initial)` before the first) beside the changes (tracked, or untracked files git
 * does not ignore).
 */
const CHECKOUT_QUERIES = [TRACKS_MANIFEST, ['status', '--porcelain=v2', '--branch', '--untracked-files=normal']];

function checkoutFrom([tracked, status]: Array<string | undefined>): Checkout {
  if (tracked === undefined || status === undefined) return {};
  const lines = status.split('\n').filter(Boolean);
  const commit = lines.find(line => line.startsWith('# branch.oid '))?.slice('# branch.oid '.length);
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return {};
  return { commit, dirty: lines.some(line => !line.startsWith('# ')) };
}

/** The project's checkout (see Checkout); two git commands, one after the other. */
export function checkoutOf(root: string): Checkout {
  return checkoutFrom(CHECKOUT_QUERIES.map(args => tryGit(root, args)));
}

/**
 * The same, without blocking: the two commands run side by side, so the gate reporter can ask at a
 * run's start and have the answer by its end (a commit looked up then is also the one that ran).
 */
export async function checkoutOfAsync(root: string): Promise<Checkout> {
  const ask = (args: readonly string[]) =>
    new Promise<string | undefined>(resolve =>
      execFile('git', args, { cwd: root, encoding: 'utf8', maxBuffer: MAX_OUTPUT }, (error, stdout) =>
        resolve(error ? undefined : stdout),
      ),
    );
  return checkoutFrom(await Promise.all(CHECKOUT_QUERIES.map(ask)));
}

/** The branch checked out in `cwd`; undefined on a detached HEAD (or outside a repository). */
export function currentBranch(cwd: string): string | undefined {
  return tryGit(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD'])?.trim();
}

/** The commit a revision names; INPUT_INVALID when it names none. */
export function resolveRevision(cwd: string, revision: string): string {
  const sha = tryGit(cwd, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])?.trim();
  if (!sha)
    throw new PackgateError('INPUT_INVALID', `"${revision}" is not a commit in ${cwd}`, {
      hint: 'give a commit, branch or tag that exists, e.g. HEAD~1 or main',
    });
  return sha;
}

export type FileChange = {
  path: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'untracked' | 'other';
  /** Set when the change is in the work tree (or staged) only: not on the branch, which review accepts. */
  uncommitted?: true;
};

/**
 * Every file that differs between `base` and the work tree (committed since, staged or not), and
 * every untracked file git does not ignore: what the task has changed, whatever its commit state,
 * each not committed yet marked so. Renames count as a delete and an add, so both paths are judged.
 *
 * Paths are relative to `cwd`, the project's folder, as a packet's globs are: in a repository whose
 * project is a subfolder (`e2e/` of a monorepo), `e2e/packs/x` is `packs/x`, and a change outside
 * the project is `../app/main.go`, which no glob of the packet owns.
 */
export function changedFiles(cwd: string, base: string): FileChange[] {
  const changes = new Map<string, FileChange>();
  // Git names files from the repository's top (--no-relative, whatever diff.relative says; ls-files with --full-name).
  const prefix = git(cwd, ['rev-parse', '--show-prefix']).trim();
  const fromCwd = (file: string) => (prefix ? path.posix.relative(prefix, file) : file);
  const diff = git(cwd, ['diff', '--name-status', '--no-renames', '--no-relative', '-z', base, '--']).split('\0');
  // What differs from HEAD (staged or not) is not committed; a checkout without a commit has no HEAD.
  const uncommitted = new Set(
    (tryGit(cwd, ['diff', '--name-only', '--no-renames', '--no-relative', '-z', 'HEAD', '--']) ?? '')
      .split('\0')
      .filter(Boolean),
  );
  for (let i = 0; i + 1 < diff.length; i += 2) {
    const [code, file] = [diff[i], diff[i + 1]];
    if (!code) continue;
    changes.set(file, {
      path: fromCwd(file),
      status: STATUS[code[0]] ?? 'other',
      ...(uncommitted.has(file) ? { uncommitted: true as const } : {}),
    });
  }
  // From the top (`:/`), as the diff: an untracked file beside the project is the task's change too.
  for (const file of git(cwd, ['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ':/']).split(
    '\0',
  ))
    if (file) changes.set(file, { path: fromCwd(file), status: 'untracked', uncommitted: true });
  return [...changes.values()].sort((a, b) => a.path.localeCompare(b.path));
}

const STATUS: Record<string, FileChange['status']> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  T: 'modified',
};

export function branchExists(repo: string, branch: string): boolean {
  return tryGit(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]) !== undefined;
}

/** Linked worktrees of the repository and their branches. */
export function listWorktrees(repo: string): Array<{ path: string; branch?: string }> {
  const out: Array<{ path: string; branch?: string }> = [];
  for (const block of git(repo, ['worktree', 'list', '--porcelain']).split('\n\n')) {
    const worktree = /^worktree (.+)$/m.exec(block)?.[1];
    if (!worktree) continue;
    const branch = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1];
    out.push({ path: worktree, ...(branch ? { branch } : {}) });
  }
  return out;
}

/** The main working tree of the repository `cwd` is in (git lists it first), whichever worktree `cwd` is. */
export function mainWorktree(cwd: string): string {
  const main = listWorktrees(cwd)[0]?.path;
  if (!main) throw new PackgateError('GIT_FAILED', `git lists no working tree for ${cwd}`);
  return main;
}

/** The project at `root` (a folder of repository `repo`) in another worktree of it: the same place from the top. */
export function projectIn(worktree: string, repo: string, root: string): string {
  return path.join(worktree, path.relative(repo, root));
}

/** The project at `root` (a folder of repository `repo`) as it is in the repository's main working tree. */
export function mainCheckoutOf(repo: string, root: string): string {
  return projectIn(mainWorktree(repo), repo, root);
}

/**
 * Adds the patterns `cwd`'s repository lacks to its info/exclude. Git reads info/exclude from the
 * repository's common dir only, for linked worktrees too (`--git-path` resolves there; a worktree's
 * own gitdir/info/exclude is never read, as of git 2.39), so the rules hold in every checkout of
 * the repository: give only patterns that belong in no commit anywhere. Unlike .gitignore, the
 * file is nobody's change.
 */
export function addExcludes(cwd: string, patterns: readonly string[], why: string): void {
  const file = path.resolve(cwd, git(cwd, ['rev-parse', '--git-path', 'info/exclude']).trim());
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = new Set(current.split('\n').map(l => l.trim()));
  const missing = patterns.filter(p => !lines.has(p));
  if (!missing.length) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const separator = current && !current.endsWith('\n') ? '\n' : '';
  fs.appendFileSync(file, `${separator}# ${why}\n${missing.join('\n')}\n`);
}

/** A new worktree at `dir` on `branch`: created from `base`, or the branch as it is when it exists. */
export function addWorktree(repo: string, dir: string, branch: string, base: string): void {
  if (branchExists(repo, branch)) git(repo, ['worktree', 'add', dir, branch]);
  else git(repo, ['worktree', 'add', '-b', branch, dir, base]);
}
