import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, findChromium } from '../../src/browser/chromium.ts';

/**
 * The baseline for `npm run bench`: the auth-session browser journey as Playwright's docs write it,
 * no catalogue, no packgate fixtures, the list reporter. A setup project signs in once and saves
 * the storage state; the journeys' project depends on it. Same stack, same browser.
 */
const choice = findChromium();
const launch = choice ? { launchOptions: chromiumLaunchOptions(choice, { headless: true }) } : {};
export const STORAGE_STATE = path.join(import.meta.dirname, '../out/bare-auth/user.json');

export default defineConfig({
  testDir: '.',
  fullyParallel: true,
  reporter: 'list',
  outputDir: '../out/bare-results',
  projects: [
    { name: 'setup', testMatch: 'auth.setup.ts', use: launch },
    {
      name: 'journeys',
      testMatch: 'auth-journey.spec.ts',
      dependencies: ['setup'],
      use: { ...launch, storageState: STORAGE_STATE },
    },
  ],
});
