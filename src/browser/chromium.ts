import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { PackgateError } from '../diagnostics/errors.ts';

/** Path to a Chromium-family executable, taking precedence over every other source. */
export const CHROMIUM_VAR = 'PACKGATE_CHROMIUM';

const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
];

/**
 * Flags for a closed network: without them Chromium keeps dialling Google's services, and on a
 * machine that only reaches loopback those attempts flood the logs and slow start-up.
 */
const QUIET_NETWORK_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Debian's build of Chromium's old headless mode: what Playwright runs for headless tests with its
 * own downloads. It starts a browser and its first page in about half the time of the full
 * Chromium (bench/RESULTS.md), and cannot show a window.
 */
const SYSTEM_HEADLESS_SHELLS = ['/usr/bin/chromium-headless-shell'];

export type ChromiumChoice = {
  source: 'env' | 'playwright' | 'system';
  /**
   * The browser a headed launch runs, and a headless one without `headlessShell`. Undefined when
   * both of Playwright's own builds are installed: Playwright picks between them itself.
   */
  executablePath?: string;
  /** A headless build for headless runs, beside a full Chromium for headed ones. */
  headlessShell?: string;
  /** `executablePath` is a headless build: nothing here can show a window. */
  headlessOnly?: true;
};

/** The Chromium builds a machine has, each an executable path (complete, for Playwright's). */
export type ChromiumBuilds = {
  playwright: {
    chromium?: string;
    headlessShell?: string;
    /** Builds Playwright installed that do not run here, and why: not used. */
    unusable?: Array<{ executable: string; why: string }>;
  };
  system: { chromium?: string; headlessShell?: string };
};

type Env = Record<string, string | undefined>;

/**
 * Where the browser comes from: PACKGATE_CHROMIUM, else Playwright's download, else a system
 * Chromium. Playwright installs two builds, the full Chromium (headed runs) and a headless shell
 * (headless runs), and either can be missing (`npx playwright install --only-shell` or `--no-shell`,
 * a download cut short): the builds there are used, and a system Chromium stands in for the
 * missing one where it can, rather than a launch failing on Playwright's path to what is not there.
 */
export function findChromium(env: Env = process.env): ChromiumChoice | undefined {
  const fromEnv = env[CHROMIUM_VAR];
  if (fromEnv) {
    const executablePath = envExecutable(fromEnv, env);
    // A headless shell named by hand (Playwright's chrome-headless-shell, Debian's chromium-headless-shell)
    // is headless only, as one found is.
    const headlessOnly = /headless[-_]shell/i.test(path.basename(executablePath));
    return { source: 'env', executablePath, ...(headlessOnly ? { headlessOnly } : {}) };
  }
  return chooseChromium({
    playwright: playwrightBuilds(),
    system: { chromium: SYSTEM_CHROMIUMS.find(isExecutable), headlessShell: SYSTEM_HEADLESS_SHELLS.find(isExecutable) },
  });
}

/** The choice among the builds a machine has (see findChromium). */
export function chooseChromium({ playwright, system }: ChromiumBuilds): ChromiumChoice | undefined {
  if (playwright.chromium && playwright.headlessShell) return { source: 'playwright' };
  // Playwright's full build runs headless too (Chromium's own headless mode): no need of another.
  if (playwright.chromium) return { source: 'playwright', executablePath: playwright.chromium };
  const shell = playwright.headlessShell ?? system.headlessShell;
  if (system.chromium)
    return { source: 'system', executablePath: system.chromium, ...(shell ? { headlessShell: shell } : {}) };
  if (!shell) return undefined;
  return { source: playwright.headlessShell ? 'playwright' : 'system', executablePath: shell, headlessOnly: true };
}

/**
 * PACKGATE_CHROMIUM as an absolute path to an executable file: a bare name (`chromium`) is looked
 * up on PATH, as a shell would; anything else is a BROWSER_NOT_FOUND error (exit 2) saying what is
 * there instead.
 */
function envExecutable(value: string, env: Env): string {
  const named = `${CHROMIUM_VAR}=${value}`;
  if (!value.includes('/') && !value.includes(path.sep)) {
    const found = onPath(value, env);
    if (found) return found;
    throw new PackgateError('BROWSER_NOT_FOUND', `${named}: no executable of that name on PATH`, {
      hint: `point ${CHROMIUM_VAR} at the browser's executable by its full path (e.g. /usr/bin/chromium), or unset it`,
    });
  }
  const file = path.resolve(value);
  if (isExecutable(file)) return file;
  let why: string;
  let hint = `point ${CHROMIUM_VAR} at a Chromium or Chrome executable (e.g. /usr/bin/chromium), or unset it`;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) {
      why = 'a folder, not an executable';
      hint = `point ${CHROMIUM_VAR} at the executable in it (e.g. ${path.join(value, 'chrome')}), or unset it`;
    } else if (!stat.isFile()) why = 'not a regular file';
    else {
      why = 'not executable by this user';
      hint = `make it executable (chmod +x ${value}), or ${hint}`;
    }
  } catch (error) {
    why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
  }
  return fail(named, why, hint);
}

function fail(named: string, why: string, hint: string): never {
  throw new PackgateError('BROWSER_NOT_FOUND', `${named}: ${why}`, { hint });
}

/**
 * Launch options for the chosen browser: the path when it is not Playwright's own, and the flags.
 * `headless: true` is for callers that never show a window: they get the headless shell when there is one.
 */
export function chromiumLaunchOptions(
  choice: ChromiumChoice,
  options: { headless?: boolean } = {},
): { executablePath?: string; args: string[] } {
  // Chromium's sandbox cannot start as root; Playwright already disables it by default, but say so.
  const args = [...QUIET_NETWORK_ARGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
  // A headless build ignores the request for a window: the person at a manual check would wait for
  // a browser that never shows, a --headed run would run headless. Said, with what to install.
  if (!options.headless && choice.headlessOnly)
    throw new PackgateError(
      'BROWSER_NOT_FOUND',
      `the only Chromium here is a headless build (${choice.executablePath}), which cannot show a window`,
      { hint: HEADED_HINT },
    );
  const executablePath = (options.headless && choice.headlessShell) || choice.executablePath;
  return executablePath ? { executablePath, args } : { args };
}

export const NO_BROWSER_HINT =
  "run `npx packgate browser ensure` (installs Debian's chromium with apt-get when run as root), " +
  'or install one yourself (`sudo apt-get install -y chromium`, or `npx playwright install chromium` where downloads work), ' +
  `or set ${CHROMIUM_VAR}=/path/to/chromium`;

const HEADED_HINT =
  'a headed browser (a manual check, --headed, --debug, --ui) needs the full Chromium: ' +
  '`npx packgate browser ensure` (as root: apt-get), `sudo apt-get install -y chromium`, ' +
  `\`npx playwright install chromium\` where downloads work, or set ${CHROMIUM_VAR}=/path/to/chromium`;

export function noBrowserError(): PackgateError {
  return new PackgateError(
    'BROWSER_NOT_FOUND',
    "no Chromium found: not Playwright's own, not at " + SYSTEM_CHROMIUMS.join(', '),
    { hint: NO_BROWSER_HINT },
  );
}

/**
 * Installs Debian packages with apt-get (Debian's `chromium`, its `chromium-headless-shell`), as
 * root or through password-less sudo. Returns a description of why not when it cannot.
 */
export function installSystemPackages(
  packages: readonly string[],
  log: (line: string) => void,
): { ok: true } | { ok: false; why: string } {
  if (!isExecutable('/usr/bin/apt-get'))
    return { ok: false, why: 'apt-get is not available (not a Debian-family system)' };
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) {
    // Looked for on PATH first: spawn says EACCES, not ENOENT, when a folder on PATH is not this user's to read.
    if (!onPath('sudo')) return { ok: false, why: 'not root, and sudo is not installed' };
    const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    if (sudo.status !== 0) return { ok: false, why: 'not root, and sudo needs a password (or is not allowed here)' };
  }
  const run = (args: string[]) => {
    const [command, ...rest] = asRoot ? args : ['sudo', '-n', ...args];
    log(`$ ${[command, ...rest].join(' ')}`);
    return (
      spawnSync(command, rest, {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      }).status === 0
    );
  };
  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...packages];
  // A fresh machine often has no package lists yet; refresh them once and retry.
  if (run(install) || (run(['apt-get', 'update']) && run(install))) return { ok: true };
  return { ok: false, why: `apt-get could not install ${packages.join(', ')} (see its output above)` };
}

/** Whether apt knows a package (without installing anything), so a missing one is not an error to print. */
export function aptHasPackage(name: string): boolean {
  if (!isExecutable('/usr/bin/apt-cache')) return false;
  return spawnSync('apt-cache', ['show', '--no-all-versions', name], { stdio: 'ignore' }).status === 0;
}

/**
 * Playwright's own builds of Chromium, each where its installation completed: Playwright writes
 * INSTALLATION_COMPLETE in a build's folder once it is unpacked, and a folder without it (a
 * download cut short) is not used, as `npx playwright install` would not. The headless shell's
 * folder is beside the full build's, of the same revision:
 * <browsers>/chromium-<rev>/chrome-linux64/chrome, <browsers>/chromium_headless_shell-<rev>/chrome-headless-shell-linux64/chrome-headless-shell.
 */
export function playwrightBuilds(): ChromiumBuilds['playwright'] {
  let executable: string;
  try {
    executable = chromium.executablePath();
  } catch {
    return {};
  }
  let dir = path.dirname(executable);
  while (!/^chromium-\d+$/.test(path.basename(dir)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const revision = /^chromium-(\d+)$/.exec(path.basename(dir))?.[1];
  // A layout not Playwright's own: the executable, when it is one, as before.
  if (!revision) return isExecutable(executable) ? { chromium: executable } : {};
  const shellDir = path.join(path.dirname(dir), `chromium_headless_shell-${revision}`);
  const shell = installed(shellDir)
    ? listDir(shellDir)
        .filter(entry => entry.startsWith('chrome-headless-shell'))
        .flatMap(entry =>
          ['chrome-headless-shell', 'chrome-headless-shell.exe'].map(name => path.join(shellDir, entry, name)),
        )
        .find(isExecutable)
    : undefined;
  const full = installed(dir) && isExecutable(executable) ? executable : undefined;
  // A build that does not run here (most often its system libraries missing: `npx playwright install`
  // without --with-deps) is not Playwright's browser "present": the system's stands in for it.
  const unusable = [full, shell].flatMap(build => {
    const why = build && doesNotRun(build);
    return why ? [{ executable: build!, why }] : [];
  });
  const runs = (build: string | undefined) => build && !unusable.some(u => u.executable === build);
  return {
    ...(runs(full) ? { chromium: full } : {}),
    ...(runs(shell) ? { headlessShell: shell } : {}),
    ...(unusable.length ? { unusable } : {}),
  };
}

/** Why `executable --version` fails (its exit and first complaint), or undefined when it runs. */
function doesNotRun(executable: string): string | undefined {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.status === 0) return undefined;
  const said = `${result.stderr ?? ''}`.split('\n').find(line => line.trim()) ?? result.error?.message;
  const ended = result.status === null ? `ended by ${result.signal ?? 'an error'}` : `exit ${result.status}`;
  return said ? `${ended}: ${said.trim()}` : ended;
}

function installed(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'INSTALLATION_COMPLETE'));
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The executable `name` on PATH, as a shell finds it. */
function onPath(name: string, env: Env = process.env): string | undefined {
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map(dir => path.join(dir, name))
    .find(isExecutable);
}

/** Whether `file` is a regular file this process may execute. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
