import { expect, test } from '@playwright/test';

// The journey, signed in by the setup project's storage state.
const app = process.env.BENCH_APP_URL!;

// Many journeys per run, so workers are reused as in a real suite; --repeat-each would give every
// repetition a worker of its own.
for (let i = 1; i <= Number(process.env.BENCH_REPEAT ?? 1); i++) {
  test(`a user signs in through the IdP and lands in the shell with their identity #${i}`, async ({ page }) => {
    await page.goto(`${app}/shell`);
    await expect(page).toHaveURL(`${app}/shell`);
    await expect(page.getByTestId('user-identity')).toContainText('Ada Lovelace');
    await expect(page.getByTestId('user-identity')).toContainText('ada');
  });
}
