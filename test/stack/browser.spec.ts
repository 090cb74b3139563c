import { expect, test, type BrowserContext } from '@playwright/test';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../../src/browser/chromium.ts';
import { PASSWORDS } from './session.ts';
import { startStack, type RunningStack } from './start-stack.ts';

/**
 * The pages' scripts in a real browser, the part HTTP alone cannot see: the context switcher, the
 * workload page's polling and the terminal page's websocket. Kept to one signed-in browser context.
 */

// No browser is a failure, not a skip: a skipped file would hide that the scripts went unproven.
const chromium = findChromium();
if (!chromium) throw noBrowserError();
test.use({ launchOptions: chromiumLaunchOptions(chromium, { headless: true }) });

let stack: RunningStack;
let context: BrowserContext;

test.beforeAll(async ({ browser }) => {
  stack = await startStack();
  context = await browser.newContext({ baseURL: stack.appUrl });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('#username').fill('ada');
  await page.locator('#password').fill(PASSWORDS.ada);
  await page.locator('#kc-login').click();
  await expect(page.getByTestId('user-identity')).toHaveText('Ada Lovelace (ada)');
  await page.close();
});

test.afterAll(async () => {
  await context?.close();
  await stack?.stop();
});

test('choosing a tenant selects its first project, and the switch shows at once', async () => {
  const page = await context.newPage();
  await page.goto('/shell/apps');
  await page.getByTestId('tenant-switcher').selectOption('globex');
  await expect(page.getByTestId('project-switcher')).toHaveValue('globex-robotics');
  await page.getByTestId('context-apply').click();
  await expect(page).toHaveURL(/\/shell\/apps$/);
  await expect(page.getByTestId('tenant-context')).toHaveText('Globex Labs');
  await expect(page.getByTestId('project-context')).toHaveAttribute('data-project-id', 'globex-robotics');
  await page.getByTestId('tenant-switcher').selectOption('acme');
  await expect(page.getByTestId('project-switcher')).toHaveValue('acme-vision');
  await page.getByTestId('context-apply').click();
  await expect(page.getByTestId('tenant-context')).toHaveText('Acme Research');
  await page.close();
});

test('the workload page follows a launch to running, and a failing one to its reason', async () => {
  const page = await context.newPage();
  await page.goto('/shell/apps');
  await page.locator('[data-testid=app-card][data-app-id=jupyterlab]').getByTestId('app-launch').click();
  await page.getByTestId('launch-submit').click();
  await expect(page).toHaveURL(/\/shell\/workloads\/wl-[0-9a-f]+$/);
  await expect(page.getByTestId('workload-state')).toHaveText('running');
  await expect(page.getByTestId('workload-history').locator('li')).toHaveText(['pending', 'starting', 'running']);
  await expect(page.getByTestId('workload-reason')).toHaveText('');

  await page.goto('/shell/apps/vllm-serve/launch');
  await page.getByTestId('launch-submit').click();
  await expect(page.getByTestId('workload-state')).toHaveText('failed');
  await expect(page.getByTestId('workload-reason')).toHaveText(
    'insufficient GPUs: requested 8, 4 free in project acme-vision',
  );
  await expect(page.getByTestId('workload-history').locator('li')).toHaveText(['pending', 'failed']);
  await page.close();
});

test('the terminal page connects through the proxy and prints what the server answers', async () => {
  const page = await context.newPage();
  await page.goto('/shell/allocations');
  await page.getByTestId('terminal-open').click();
  await expect(page.getByTestId('terminal-status')).toHaveText('connected');
  await page.getByTestId('terminal-input').fill('echo hello from the browser');
  await page.getByTestId('terminal-input').press('Enter');
  await expect(page.getByTestId('terminal-output')).toHaveText('hello from the browser\n');
  await page.getByTestId('terminal-input').fill('hostname');
  await page.getByTestId('terminal-input').press('Enter');
  await expect(page.getByTestId('terminal-output')).toHaveText('hello from the browser\ngpu-node-01\n');

  await page.goto('/shell/allocations/alloc-ada-2/terminal');
  await expect(page.getByTestId('terminal-status')).toHaveText(/^error: /);
  await expect(page.getByTestId('terminal-input')).toBeDisabled();
  await page.close();
});
