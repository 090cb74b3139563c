import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, findChromium } from '../../src/browser/chromium.ts';

/**
 * The baseline for `npm run bench`: the auth-session browser journey with plain Playwright,
 * no catalogue, no packgate fixtures, the list reporter. Same stack, same browser.
 */
const choice = findChromium();

export default defineConfig({
  testDir: '.',
  testMatch: 'auth-journey.spec.ts',
  fullyParallel: true,
  reporter: 'list',
  outputDir: '../out/bare-results',
  use: choice ? { launchOptions: chromiumLaunchOptions(choice, { headless: true }) } : {},
});
