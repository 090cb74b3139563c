import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../../src/browser/chromium.ts';
import { TempProject } from '../helpers/temp-project.ts';
import { listeningUrl, stopTestServer } from '../helpers/test-server-process.ts';

/**
 * Debugging a pack in Playwright's UI mode, driven the way Playwright tests its own UI: the UI's test
 * server started in a temp project (`playwright test --ui-port=0`), its page opened in Chromium.
 */

const chromium = findChromium();
if (!chromium) throw noBrowserError();
test.use({ launchOptions: chromiumLaunchOptions(chromium, { headless: true }) });

/** A signed-in test of local-api (auth-session's): it needs the local-sign-in setup's session. */
const SIGNED_IN = "the worker's session reaches the app's API as the signed-in user";

test('UI mode opens on the local environment; a signed-in test says to check local-sign-in, then passes with it', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const project = await TempProject.create(testInfo);
  const ui = project.start([
    path.join(project.dir, 'node_modules/@playwright/test/cli.js'),
    'test',
    '--ui-port=0',
    '--ui-host=127.0.0.1',
  ]);
  try {
    await page.goto(await listeningUrl(ui, 'http'));
    // Nothing stored in this browser: UI mode checks the config's first project.
    await expect(page.getByRole('button', { name: /Projects: local-api$/ })).toBeVisible({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Expand all' }).click();
    const signedIn = page.getByRole('treeitem', { name: SIGNED_IN });
    await expect(signedIn).toBeVisible();

    // local-sign-in unchecked: UI mode does not run it, and the error says what to check.
    await runFromTree(page, SIGNED_IN);
    await expect(signedIn.locator('.codicon-error')).toBeVisible({ timeout: 90_000 });
    await signedIn.click();
    await page.getByRole('tab', { name: 'Errors' }).click();
    await expect(
      page.getByText('in UI mode (or VS Code), check "local-sign-in" beside "local-api" in the Projects list'),
    ).toBeVisible({
      timeout: 90_000,
    });

    // Checked: the setup runs as the test's dependency, and the test passes.
    await page.getByRole('button', { name: /Projects: local-api$/ }).click();
    await page.getByRole('checkbox', { name: 'local-sign-in' }).check();
    await expect(page.getByRole('button', { name: /Projects: local-api local-sign-in$/ })).toBeVisible();
    // The session's second run: it runs on the plan the first left (UI mode loads the config once).
    await runFromTree(page, SIGNED_IN);
    await expect(signedIn.locator('.codicon-check')).toBeVisible({ timeout: 90_000 });

    // A deployed environment's setup lists its personas too, for whoever checks it to debug there:
    // narrowed to the default projects' packs, demo-sign-in showed "No tests".
    await page.getByRole('checkbox', { name: 'demo-sign-in' }).check();
    await page.getByRole('checkbox', { name: 'local-api' }).uncheck();
    await page.getByRole('checkbox', { name: 'local-sign-in' }).uncheck();
    await expect(page.getByRole('button', { name: /Projects: demo-sign-in$/ })).toBeVisible();
    await expect(page.getByRole('treeitem', { name: 'sign in as ada' })).toBeVisible();

    // The runs' shared scratch folder (plan, sign-ins) goes when UI mode exits.
    await stopTestServer(ui.child.pid!, ui.done, project.dir);
    expect(fs.readdirSync(path.join(project.dir, '.packgate/runs'))).toEqual([]);
  } finally {
    await stopTestServer(ui.child.pid!, ui.done, project.dir);
  }
});

/** Runs one test from the tree with its row's own run button. */
async function runFromTree(page: Page, title: string): Promise<void> {
  const row = page.getByRole('treeitem', { name: title });
  await row.hover();
  await row.getByRole('button', { name: 'Run' }).click();
}
