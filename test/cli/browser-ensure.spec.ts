import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type TestInfo } from '@playwright/test';
import { isExecutable } from '../../src/browser/chromium.ts';
import { REPO } from '../helpers/ports.ts';

/**
 * Which Chromium packgate finds, and what it says when the one it is pointed at is not there. Run
 * from outside, as a user runs them: `packgate browser ensure` (npm install's postinstall runs it
 * with --postinstall), and a headless launch of the choice, in a process of its own (Playwright
 * reads PLAYWRIGHT_BROWSERS_PATH once, when it loads).
 */

type Run = { exitCode: number; stdout: string; stderr: string };

/** Node with `args`, in a clean environment; `as` a command that runs it (setpriv, to drop root). */
function run(args: string[], env: Record<string, string>, cwd = REPO, as: string[] = []): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(TEST_|PW_|PLAYWRIGHT_|PACKGATE_)/.test(key)),
  ) as Record<string, string>;
  const [command, ...rest] = [...as, process.execPath, ...args];
  const child = spawn(command, rest, { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', chunk => (stdout += chunk));
  child.stderr.on('data', chunk => (stderr += chunk));
  return new Promise(resolve => child.on('close', code => resolve({ exitCode: code ?? 1, stdout, stderr })));
}

const ensure = (args: string[], env: Record<string, string>) =>
  run([path.join(REPO, 'bin/packgate.js'), 'browser', 'ensure', ...args], env);

test('a PACKGATE_CHROMIUM that names no executable: says what is there instead, exit 2; npm install (--postinstall) goes on, exit 0', async ({}, testInfo) => {
  const dir = testInfo.outputPath('browsers');
  fs.mkdirSync(dir, { recursive: true });
  const plain = path.join(dir, 'chrome');
  fs.writeFileSync(plain, '#!/bin/sh\n', { mode: 0o644 });
  const cases: Array<[string, string]> = [
    [path.join(dir, 'missing'), 'no such file'],
    [dir, 'a folder, not an executable'],
    ['no-such-browser-here', 'no executable of that name on PATH'],
  ];
  // root executes any file with an execute bit, and reads past a missing one: the check is this user's.
  if (process.getuid?.() !== 0) cases.push([plain, 'not executable by this user']);
  for (const [value, why] of cases) {
    const byHand = await ensure([], { PACKGATE_CHROMIUM: value });
    expect(byHand.exitCode, byHand.stderr).toBe(2);
    expect(byHand.stderr).toContain(`PACKGATE_CHROMIUM=${value}: ${why}\n  hint: `);
    // Before: exit 2 here too, and npm install failed on it.
    const postinstall = await ensure(['--postinstall'], { PACKGATE_CHROMIUM: value });
    expect(postinstall.exitCode, postinstall.stderr).toBe(0);
    expect(postinstall.stderr).toContain(`PACKGATE_CHROMIUM=${value}: ${why}\n  hint: `);
  }
});

test('a PACKGATE_CHROMIUM given by name is looked up on PATH, as a shell would', async ({}, testInfo) => {
  const dir = testInfo.outputPath('bin');
  fs.mkdirSync(dir, { recursive: true });
  const browser = path.join(dir, 'my-chromium');
  fs.writeFileSync(browser, '#!/bin/sh\n', { mode: 0o755 });
  const found = await ensure([], {
    PACKGATE_CHROMIUM: 'my-chromium',
    PATH: `${dir}${path.delimiter}${process.env.PATH}`,
  });
  expect(found.exitCode, found.stderr).toBe(0);
  expect(found.stdout).toBe(`packgate: browser: ${browser} (PACKGATE_CHROMIUM)\n`);
});

/**
 * Playwright's download is two builds, the full Chromium (headed runs) and its headless shell
 * (headless runs, which Playwright launches by itself), each in its own folder with
 * INSTALLATION_COMPLETE once unpacked. `npx playwright install --no-shell` or `--only-shell`, or a
 * download cut short, leaves one of them. Built here as wrappers of the system's Chromium.
 */
function playwrightFolder(
  testInfo: TestInfo,
  builds: { chromium?: boolean; shell?: boolean; complete?: boolean; broken?: boolean },
) {
  const browsers = testInfo.outputPath('ms-playwright');
  const revision = JSON.parse(
    fs.readFileSync(path.join(REPO, 'node_modules/playwright-core/browsers.json'), 'utf8'),
  ).browsers.find((b: { name: string }) => b.name === 'chromium').revision as string;
  const wrapper = (file: string, target: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // A broken build fails as one missing its system libraries does, before it reads its arguments.
    const body = builds.broken
      ? 'echo "chrome: error while loading shared libraries: libnss3.so: cannot open shared object file" >&2\nexit 127'
      : `exec ${target} "$@"`;
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    if (builds.complete !== false)
      fs.writeFileSync(path.join(path.dirname(path.dirname(file)), 'INSTALLATION_COMPLETE'), '');
    return file;
  };
  const chromium = builds.chromium
    ? wrapper(path.join(browsers, `chromium-${revision}`, 'chrome-linux64', 'chrome'), SYSTEM_CHROMIUM)
    : undefined;
  const shell = builds.shell
    ? wrapper(
        path.join(
          browsers,
          `chromium_headless_shell-${revision}`,
          'chrome-headless-shell-linux64',
          'chrome-headless-shell',
        ),
        SYSTEM_SHELL,
      )
    : undefined;
  return { browsers, chromium, shell };
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const SYSTEM_SHELL = '/usr/bin/chromium-headless-shell';

/** What findChromium chooses in a process with these browsers, and whether a headless launch of it starts. */
async function headlessLaunch(testInfo: TestInfo, browsers: string) {
  const script = testInfo.outputPath('launch.mts');
  fs.writeFileSync(
    script,
    `import { chromium } from '@playwright/test';
import { chromiumLaunchOptions, findChromium } from ${JSON.stringify(path.join(REPO, 'src/browser/chromium.ts'))};
const choice = findChromium();
const launch = chromiumLaunchOptions(choice!, { headless: true });
let started: string;
try {
  const browser = await chromium.launch(launch);
  started = 'started';
  await browser.close();
} catch (error) {
  started = String((error as Error).message).split('\\n')[0];
}
process.stdout.write(JSON.stringify({ choice, executablePath: launch.executablePath ?? null, started }));
`,
  );
  const result = await run(['--import', 'tsx', script], { PLAYWRIGHT_BROWSERS_PATH: browsers });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { choice: object; executablePath: string | null; started: string };
}

test.describe("Playwright's download, in part", () => {
  test.skip(
    process.platform !== 'linux' || process.arch !== 'x64' || !isExecutable(SYSTEM_CHROMIUM),
    'builds Playwright-shaped folders for linux-x64 around /usr/bin/chromium',
  );

  test('its full Chromium without its headless shell (--no-shell): headless runs launch the full build, and start', async ({}, testInfo) => {
    const { browsers, chromium } = playwrightFolder(testInfo, { chromium: true });
    // Before: { source: 'playwright' }, and every headless launch failed on Playwright's path to the
    // headless shell ("Executable doesn't exist at .../chromium_headless_shell-<rev>/...").
    expect(await headlessLaunch(testInfo, browsers)).toEqual({
      choice: { source: 'playwright', executablePath: chromium },
      executablePath: chromium,
      started: 'started',
    });
    const said = await ensure([], { PLAYWRIGHT_BROWSERS_PATH: browsers });
    expect(said.stdout).toBe(`packgate: browser: ${chromium} (Playwright's own)\n`);
  });

  test('its headless shell without its full Chromium (--only-shell): headless runs use it, headed ones the system Chromium', async ({}, testInfo) => {
    test.skip(!isExecutable(SYSTEM_SHELL), 'wraps /usr/bin/chromium-headless-shell');
    const { browsers, shell } = playwrightFolder(testInfo, { shell: true });
    // Before: Playwright's headless shell was never found (only its full build was looked for).
    expect(await headlessLaunch(testInfo, browsers)).toEqual({
      choice: { source: 'system', executablePath: SYSTEM_CHROMIUM, headlessShell: shell },
      executablePath: shell,
      started: 'started',
    });
  });

  test('builds that do not run here (no system libraries) are not used: the system Chromium is, and browser ensure says why', async ({}, testInfo) => {
    const { browsers, chromium } = playwrightFolder(testInfo, { chromium: true, shell: true, broken: true });
    // Before: { source: 'playwright' }, and every launch failed on the missing libnss3.so.
    const launched = await headlessLaunch(testInfo, browsers);
    expect(launched.choice).toMatchObject({ source: 'system', executablePath: SYSTEM_CHROMIUM });
    expect(launched.started).toBe('started');
    const said = await ensure([], { PLAYWRIGHT_BROWSERS_PATH: browsers });
    expect(said.exitCode, said.stderr).toBe(0);
    expect(said.stdout).toContain(
      `packgate: Playwright's ${chromium} does not run here (exit 127: chrome: error while loading shared libraries: ` +
        'libnss3.so: cannot open shared object file), so it is not used; `sudo npx playwright install-deps chromium`',
    );
    expect(said.stdout).toContain(`packgate: browser: ${SYSTEM_CHROMIUM} (system)`);
  });

  test('a download cut short (no INSTALLATION_COMPLETE) is not used: the system Chromium is', async ({}, testInfo) => {
    const { browsers } = playwrightFolder(testInfo, { chromium: true, shell: true, complete: false });
    // Before: { source: 'playwright' }, the half-unpacked build launched.
    const launched = await headlessLaunch(testInfo, browsers);
    expect(launched.choice).toMatchObject({ source: 'system', executablePath: SYSTEM_CHROMIUM });
    expect(launched.started).toBe('started');
  });
});

/**
 * Installing Debian's chromium as a user who is not root takes password-less sudo; on a machine
 * without sudo the reason says so, where before it said "sudo needs a password" (and, with a folder
 * on PATH the user may not read, spawn's EACCES hid the missing sudo). Run as nobody, from root.
 */
test('not root and no sudo: the install step says sudo is not installed', async ({}, testInfo) => {
  test.skip(
    process.getuid?.() !== 0 || !isExecutable('/usr/bin/setpriv') || !isExecutable('/usr/bin/apt-get'),
    'runs as nobody through setpriv, from root, on a Debian-family machine',
  );
  const dir = testInfo.outputPath('as-nobody');
  fs.mkdirSync(path.join(dir, 'empty-path'), { recursive: true });
  const script = path.join(dir, 'install.mts');
  fs.writeFileSync(
    script,
    `import { installSystemPackages } from ${JSON.stringify(path.join(REPO, 'src/browser/chromium.ts'))};
process.stdout.write(JSON.stringify(installSystemPackages(['chromium'], () => {})));
`,
  );
  fs.chmodSync(testInfo.outputDir, 0o755);
  for (const entry of [dir, path.join(dir, 'empty-path')]) fs.chmodSync(entry, 0o755);
  fs.chmodSync(script, 0o644);
  const result = await run(['--import', 'tsx', script], { PATH: path.join(dir, 'empty-path'), HOME: dir }, REPO, [
    '/usr/bin/setpriv',
    '--reuid=65534',
    '--regid=65534',
    '--clear-groups',
  ]);
  expect(result.exitCode, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({ ok: false, why: 'not root, and sudo is not installed' });
});
