import { test as setup } from '@playwright/test';
import { STORAGE_STATE } from './playwright.config.ts';

// What a team writes without packgate (Playwright's "authenticate once in a setup project"): the
// URL and password handed in by the bench through env vars.
const app = process.env.BENCH_APP_URL!;
const password = process.env.BENCH_PASSWORD!;

setup('sign in', async ({ page }) => {
  await page.goto(`${app}/login`);
  await page.fill('#username', 'ada');
  await page.fill('#password', password);
  await page.click('#kc-login');
  await page.waitForURL(`${app}/shell`);
  await page.context().storageState({ path: STORAGE_STATE });
});
