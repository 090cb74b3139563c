import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { chooseChromium, chromiumLaunchOptions, findChromium } from '../../src/browser/chromium.ts';
import type { ProjectPlan } from '../../src/catalogue/project-plan.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { browserFor } from '../../src/playwright/browser-choice.ts';
import { readCommandLine } from '../../src/run/command-line.ts';

/**
 * The Chromium each kind of run launches, from the builds a machine has. A headless build
 * (chromium-headless-shell, Playwright's or Debian's) cannot show a window: a headed launch of it
 * (a manual check, --headed) is refused, saying what to install, where before the person at a
 * manual check waited for a window that never came.
 */
const SHELL = '/usr/bin/chromium-headless-shell';

test('a machine with only a headless build runs headless, and refuses a headed launch saying what to install', () => {
  const choice = chooseChromium({ playwright: {}, system: { headlessShell: SHELL } })!;
  expect(choice).toEqual({ source: 'system', executablePath: SHELL, headlessOnly: true });
  expect(chromiumLaunchOptions(choice, { headless: true }).executablePath).toBe(SHELL);
  let refused: unknown;
  try {
    chromiumLaunchOptions(choice, { headless: false });
  } catch (error) {
    refused = error;
  }
  expect(refused).toBeInstanceOf(PackgateError);
  expect((refused as PackgateError).code).toBe('BROWSER_NOT_FOUND');
  expect((refused as PackgateError).message).toContain(
    `the only Chromium here is a headless build (${SHELL}), which cannot show a window`,
  );
  expect((refused as PackgateError).hint).toContain('needs the full Chromium');
});

test("Playwright's builds first, each standing in for itself; the system's for what Playwright lacks", () => {
  const pw = { chromium: '/pw/chromium-1/chrome-linux64/chrome', headlessShell: '/pw/shell/chrome-headless-shell' };
  const system = { chromium: '/usr/bin/chromium', headlessShell: SHELL };
  expect(chooseChromium({ playwright: pw, system })).toEqual({ source: 'playwright' });
  expect(chooseChromium({ playwright: { chromium: pw.chromium }, system })).toEqual({
    source: 'playwright',
    executablePath: pw.chromium,
  });
  expect(chooseChromium({ playwright: { headlessShell: pw.headlessShell }, system })).toEqual({
    source: 'system',
    executablePath: system.chromium,
    headlessShell: pw.headlessShell,
  });
  expect(chooseChromium({ playwright: { headlessShell: pw.headlessShell }, system: {} })).toEqual({
    source: 'playwright',
    executablePath: pw.headlessShell,
    headlessOnly: true,
  });
  expect(chooseChromium({ playwright: {}, system })).toEqual({
    source: 'system',
    executablePath: system.chromium,
    headlessShell: SHELL,
  });
  expect(chooseChromium({ playwright: {}, system: {} })).toBeUndefined();
});

test('every launch, headed or headless, carries the closed-network flags, and --no-sandbox as root', () => {
  const flags = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
  for (const choice of [
    { source: 'playwright' as const },
    { source: 'system' as const, executablePath: '/usr/bin/chromium', headlessShell: SHELL },
  ])
    for (const headless of [true, false]) {
      const { args } = chromiumLaunchOptions(choice, { headless });
      expect(args).toEqual(expect.arrayContaining(flags));
      expect(args.includes('--no-sandbox')).toBe(process.getuid?.() === 0);
    }
});

test('a headless shell named in PACKGATE_CHROMIUM is headless only too: a headed launch of it is refused', ({}, testInfo) => {
  const shell = testInfo.outputPath('chrome-headless-shell');
  fs.mkdirSync(path.dirname(shell), { recursive: true });
  fs.writeFileSync(shell, '#!/bin/sh\n', { mode: 0o755 });
  const choice = findChromium({ PACKGATE_CHROMIUM: shell })!;
  expect(choice).toEqual({ source: 'env', executablePath: shell, headlessOnly: true });
  expect(chromiumLaunchOptions(choice, { headless: true }).executablePath).toBe(shell);
  expect(() => chromiumLaunchOptions(choice, { headless: false })).toThrow(/is a headless build|cannot show a window/);
  // The full browser named there is used for both.
  const full = testInfo.outputPath('chrome');
  fs.writeFileSync(full, '#!/bin/sh\n', { mode: 0o755 });
  expect(findChromium({ PACKGATE_CHROMIUM: full })).toEqual({ source: 'env', executablePath: full });
});

test('a browser problem stops only a run that drives a browser: an api-only run of the same catalogue goes on', () => {
  const browser = { usesBrowser: true } as ProjectPlan;
  const api = { usesBrowser: false } as ProjectPlan;
  const commandLine = readCommandLine(['node', 'playwright', 'test']);
  const env = { PATH: process.env.PATH, PACKGATE_CHROMIUM: '/nowhere/chromium' };
  expect(browserFor([browser, api], [api], commandLine, env)).toBeUndefined();
  expect(() => browserFor([browser, api], [browser, api], commandLine, env)).toThrow(
    'PACKGATE_CHROMIUM=/nowhere/chromium: no such file',
  );
  // Nothing is launched by a listing or a merge of shards' reports: a machine without a browser (a
  // lint job listing the tests, a merge job) is not refused. Before, both stopped with exit 2.
  for (const args of [
    ['test', '--list'],
    ['merge-reports', 'all-blob-reports'],
  ])
    expect(
      browserFor([browser, api], [browser, api], readCommandLine(['node', 'playwright', ...args]), env),
    ).toBeUndefined();
  // UI mode runs the tests it is asked to, so it needs one.
  expect(() => browserFor([browser], [browser], readCommandLine(['node', 'playwright', 'test', '--ui']), env)).toThrow(
    'PACKGATE_CHROMIUM=/nowhere/chromium: no such file',
  );
});
