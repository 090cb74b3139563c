import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { findChromium } from '../../src/browser/chromium.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * The browser a journey runs in: a headless run takes the machine's headless shell when it has one
 * (Debian's chromium-headless-shell, as Playwright does with its own downloads), else the Chromium
 * packgate found. Observed from outside: the browser process the worker started.
 */
const BROWSER_PACK = {
  'packs/which-browser/pack.yaml': `id: which-browser
title: Which browser
journey: A visitor opens the app.
owner: test-lane
required_proof: the page opens
policy: { dev: blocking }
lowest_reliable_layer: browser
layers: [browser]
depends_on: []
`,
  'packs/which-browser/tests.yaml': 'browser.spec.ts:\n  - a visitor opens the app\n',
  'packs/which-browser/browser.spec.ts': `import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from '../../fixtures/index.ts';

test('a visitor opens the app', async ({ page, env }) => {
  await page.goto(env.urls.app);
  // The browser is a child of this worker; its command line starts with its executable (after
  // /bin/sh where the executable is a wrapper script, as Debian's are).
  const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  const browser = children.split('\\n').find(line => line.includes('--remote-debugging-pipe'));
  expect(browser, children).toBeTruthy();
  fs.writeFileSync('browser-command.txt', browser!);
});
`,
};

test('a headless journey runs in the headless shell when the machine has one, else in the Chromium found', async ({}, testInfo) => {
  const choice = findChromium();
  test.skip(!choice?.executablePath, "Playwright's own Chromium: Playwright picks its headless build itself");
  const project = await TempProject.create(testInfo, BROWSER_PACK);
  const result = await project.playwright(['--project=local-browser', 'packs/which-browser/']);
  expect(result.exitCode, result.output).toBe(0);
  const command = fs.readFileSync(path.join(project.dir, 'browser-command.txt'), 'utf8').split(' ');
  const executable =
    command[0] === '/bin/sh' ? command.find(arg => arg.startsWith('/') && arg !== '/bin/sh') : command[0];
  // By name: a wrapper script may exec the binary from elsewhere (/usr/bin/chromium runs /usr/lib/chromium/chromium).
  expect(path.basename(executable!)).toBe(path.basename(choice!.headlessShell ?? choice!.executablePath!));
  // The closed-network flags reach the gate's browser, and --no-sandbox as root.
  const flags = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
  expect(command).toEqual(expect.arrayContaining([...flags, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])]));
});
