import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
  /** Undefined when Playwright's own browser is used (Playwright finds it itself). */
  executablePath?: string;
  /** A system headless shell for headless runs, beside a system Chromium for headed ones. */
  headlessShell?: string;
};

type Env = Record<string, string | undefined>;

/** Where the browser comes from: PACKGATE_CHROMIUM, else Playwright's download, else a system Chromium. */
export function findChromium(env: Env = process.env): ChromiumChoice | undefined {
  const fromEnv = env[CHROMIUM_VAR];
  if (fromEnv) {
    if (!isExecutable(fromEnv))
      throw new PackgateError('BROWSER_NOT_FOUND', `${CHROMIUM_VAR}=${fromEnv} is not an executable file`, {
        hint: `point ${CHROMIUM_VAR} at a Chromium or Chrome binary, or unset it`,
      });
    return { source: 'env', executablePath: fromEnv };
  }
  const bundled = playwrightChromiumPath();
  if (bundled && isExecutable(bundled)) return { source: 'playwright' };
  const system = SYSTEM_CHROMIUMS.find(isExecutable);
  const headlessShell = SYSTEM_HEADLESS_SHELLS.find(isExecutable);
  if (system) return { source: 'system', executablePath: system, ...(headlessShell ? { headlessShell } : {}) };
  return headlessShell ? { source: 'system', executablePath: headlessShell } : undefined;
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
  const executablePath = (options.headless && choice.headlessShell) || choice.executablePath;
  return executablePath ? { executablePath, args } : { args };
}

export const NO_BROWSER_HINT =
  "run `npx packgate browser ensure` (installs Debian's chromium with apt-get when run as root), " +
  'or install one yourself (`sudo apt-get install -y chromium`, or `npx playwright install chromium` where downloads work), ' +
  `or set ${CHROMIUM_VAR}=/path/to/chromium`;

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
  if (!asRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0)
    return { ok: false, why: 'not root, and sudo needs a password' };
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

function playwrightChromiumPath(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
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
