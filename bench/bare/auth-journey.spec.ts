import { test as base, expect } from '@playwright/test';

// What a team writes without packgate: the same sign-in, once per worker (storageState), with the
// URLs, user and password handed in by the bench through env vars.
const app = process.env.BENCH_APP_URL!;
const password = process.env.BENCH_PASSWORD!;

type StorageState = Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>;

const test = base.extend<object, { workerStorageState: StorageState }>({
  workerStorageState: [
    async ({ browser }, use) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app}/login`);
      await page.fill('#username', 'ada');
      await page.fill('#password', password);
      await page.click('#kc-login');
      await page.waitForURL(`${app}/shell`);
      const state = await context.storageState();
      await context.close();
      await use(state);
    },
    { scope: 'worker' },
  ],
  storageState: ({ workerStorageState }, use) => use(workerStorageState),
});

// Many journeys per run, so workers (and their one sign-in) are reused as in a real suite;
// --repeat-each would give every repetition a worker of its own.
for (let i = 1; i <= Number(process.env.BENCH_REPEAT ?? 1); i++) {
  test(`a user signs in through the IdP and lands in the shell with their identity #${i}`, async ({ page }) => {
    await page.goto(`${app}/shell`);
    await expect(page).toHaveURL(`${app}/shell`);
    await expect(page.getByTestId('user-identity')).toContainText('Ada Lovelace');
    await expect(page.getByTestId('user-identity')).toContainText('ada');
  });
}
