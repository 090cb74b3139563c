import fs from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { signInInteractively, type SignedInSession } from '../../fixtures/sign-in.ts';
import { sessionOnSingleSignOn } from '../../fixtures/single-sign-on.ts';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../../src/browser/chromium.ts';
import { SESSION_STORAGE_KEY } from '../../stack/app/session-storage-token.ts';
import { ISSUED_SECRETS_VAR } from '../../stack/issued-secrets.ts';
import { PASSWORDS } from './session.ts';
import { runStackToExit, startStack, TEST_PASSWORD, type RunningStack } from './start-stack.ts';
import { ADA, environmentFor } from './variant-environment.ts';

/**
 * The session-storage shape (PACKGATE_STACK_SESSION_STORAGE=1): the app keeps a per-session token in
 * the tab's sessionStorage, as some SPAs do, and its pages work only in a tab that holds it, while
 * the API still takes the cookie alone. A real browser, a real IdP, the fixtures' own sign-in.
 */

// No browser is a failure, not a skip: a skipped file would hide that the shape went unproven.
const chromium = findChromium();
if (!chromium) throw noBrowserError();
const launch = chromiumLaunchOptions(chromium, { headless: true });
test.use({ launchOptions: launch });

/** Every page of the shell, one per mode and the two with scripts of their own. */
const SHELL_PAGES = [
  '/shell',
  '/shell/apps',
  '/shell/workloads',
  '/shell/notebooks',
  '/shell/allocations',
  '/shell/nodes',
  '/shell/apps/jupyterlab/launch',
  '/shell/allocations/alloc-ada-1/terminal',
];

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

let stack: RunningStack;
let issuedFile: string;

test.beforeAll(async ({}, testInfo) => {
  issuedFile = testInfo.outputPath('issued.jsonl');
  stack = await startStack({ env: { PACKGATE_STACK_SESSION_STORAGE: '1', [ISSUED_SECRETS_VAR]: issuedFile } });
});

test.afterAll(async () => {
  await stack?.stop();
});

/** Signs in the way the gate's sign-in setup does, and returns what it keeps: cookies and sessionStorage. */
async function signIn(browser: Browser, _testInfo: TestInfo): Promise<SignedInSession> {
  const context = await browser.newContext();
  try {
    return await signInInteractively({
      page: await context.newPage(),
      env: environmentFor(stack),
      user: ADA,
      password: TEST_PASSWORD,
    });
  } finally {
    await context.close();
  }
}

/** A fresh context with the session's cookies only (Playwright's storageState). */
function withCookiesOnly(browser: Browser, session: SignedInSession): Promise<BrowserContext> {
  return browser.newContext({ baseURL: stack.appUrl, storageState: session.storageState });
}

/** Puts sessionStorage back in every new page before the app's scripts run, as the fixtures do. */
async function restoreSessionStorage(context: BrowserContext, byOrigin: Record<string, Record<string, string>>) {
  await context.addInitScript((items: Record<string, Record<string, string>>) => {
    const mine = items[location.origin];
    if (!mine || Object.keys(mine).some(key => sessionStorage.getItem(key) !== null)) return;
    for (const [key, value] of Object.entries(mine)) sessionStorage.setItem(key, value);
  }, byOrigin);
}

const tokenIn = (page: Page) => page.evaluate(key => sessionStorage.getItem(key), SESSION_STORAGE_KEY);

async function expectRefused(page: Page, path: string, reason: 'missing' | 'mismatch') {
  await page.goto(path);
  await expect(page.getByTestId('session-lost'), path).toBeVisible();
  await expect(page.getByTestId('session-lost'), path).toHaveAttribute('data-reason', reason);
  await expect(page.getByTestId('sign-in-again'), path).toHaveAttribute('href', '/login');
  // Nothing of the signed-in shell, not even hidden: no identity, no context, no mode.
  for (const testId of ['user-identity', 'tenant-context', 'app-header', 'mode-title'])
    await expect(page.getByTestId(testId), `${path}: ${testId}`).toHaveCount(0);
}

test('signed in through the app, the tab holds a token of its session, and every shell page works in it', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: stack.appUrl });
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await page.locator('#username').fill('ada');
    await page.locator('#password').fill(PASSWORDS.ada);
    await page.locator('#kc-login').click();
    await expect(page).toHaveURL(/\/shell$/);
    await expect(page.getByTestId('user-identity')).toHaveText('Ada Lovelace (ada)');

    const token = await tokenIn(page);
    expect(token, `sessionStorage["${SESSION_STORAGE_KEY}"] on the app's origin`).toMatch(TOKEN);
    expect(await page.content(), 'the page carries only its digest').not.toContain(token!);
    const issued = fs
      .readFileSync(issuedFile, 'utf8')
      .trim()
      .split('\n')
      .map(line => JSON.parse(line) as { kind: string; value: string });
    expect(issued, 'recorded as a credential the stack issued').toContainEqual({
      kind: 'session-storage-token',
      value: token,
    });

    for (const path of SHELL_PAGES) {
      await page.goto(path);
      await expect(page.getByTestId('user-identity'), path).toHaveText('Ada Lovelace (ada)');
      await expect(page.getByTestId('mode-title'), path).toBeVisible();
    }
    // The page's own scripts run once the token checked out: the terminal page's websocket.
    await expect(page.getByTestId('terminal-status')).toHaveText('connected');
    await page.getByTestId('nav-apps').click();
    await expect(page.getByTestId('mode-apps')).toBeVisible();

    // A tab of the same browser opened afresh has its own, empty sessionStorage: refused.
    await expectRefused(await context.newPage(), '/shell', 'missing');
  } finally {
    await context.close();
  }
});

test('a fresh context with only the cookies is refused by every shell page, and the API takes the cookie alone', async ({
  browser,
}, testInfo) => {
  const session = await signIn(browser, testInfo);
  expect(session.sessionStorage, "the fixtures' sign-in keeps the tab's sessionStorage").toEqual({
    [new URL(stack.appUrl).origin]: { [SESSION_STORAGE_KEY]: expect.stringMatching(TOKEN) },
  });
  const context = await withCookiesOnly(browser, session);
  try {
    const page = await context.newPage();
    for (const path of SHELL_PAGES) await expectRefused(page, path, 'missing');

    const cookie = session.storageState.cookies.map(c => `${c.name}=${c.value}`).join('; ');
    for (const url of [`${stack.apiUrl}/v1/me`, `${stack.appUrl}/api/v1/me`]) {
      const me = await fetch(url, { headers: { cookie } });
      expect(me.status, url).toBe(200);
      expect(await me.json(), url).toMatchObject({ username: 'ada' });
    }
    expect((await context.request.get('/api/v1/me')).status(), "the refused context's own cookies").toBe(200);
  } finally {
    await context.close();
  }
});

test('the same fresh context with the sessionStorage restored by an init script works, in every new page', async ({
  browser,
}, testInfo) => {
  const session = await signIn(browser, testInfo);
  const context = await withCookiesOnly(browser, session);
  try {
    await restoreSessionStorage(context, session.sessionStorage);
    for (const path of SHELL_PAGES) {
      const page = await context.newPage();
      await page.goto(path);
      await expect(page.getByTestId('user-identity'), path).toHaveText('Ada Lovelace (ada)');
      await expect(page.getByTestId('session-lost'), path).toHaveCount(0);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

test("another session's token, or a made-up one, is refused: the token is bound to its session", async ({
  browser,
}, testInfo) => {
  const [first, second] = [await signIn(browser, testInfo), await signIn(browser, testInfo)];
  const origin = new URL(stack.appUrl).origin;
  const tokenOf = (session: SignedInSession) => session.sessionStorage[origin][SESSION_STORAGE_KEY];
  expect(tokenOf(first), 'each session its own token').not.toBe(tokenOf(second));

  for (const token of [tokenOf(second), 'made-up-token-0000000000000000000000000000']) {
    const context = await withCookiesOnly(browser, first);
    try {
      await restoreSessionStorage(context, { [origin]: { [SESSION_STORAGE_KEY]: token } });
      await expectRefused(await context.newPage(), '/shell/apps', 'mismatch');
    } finally {
      await context.close();
    }
  }
});

test('behind a sign-in in front of the app, a worker still gets a session and token of its own on single sign-on', async ({
  browser,
  playwright,
}) => {
  // The proxy shape: any protected page starts the sign-in and the browser comes back to it, so the
  // worker's walk ends on the login path itself, which here is a page of the app, not a sign-in page.
  const proxied = await startStack({ env: { PACKGATE_STACK_SESSION_STORAGE: '1', PACKGATE_STACK_SIGN_IN: 'proxy' } });
  try {
    const resolved = environmentFor(proxied);
    const env = { ...resolved, oidc: { ...resolved.oidc, loginPath: '/shell/apps' } };
    const context = await browser.newContext();
    const setup = await signInInteractively({ page: await context.newPage(), env, user: ADA, password: TEST_PASSWORD });
    await context.close();

    const own = await sessionOnSingleSignOn({
      playwright,
      env,
      user: ADA,
      setup,
      launch,
    });
    expect(own.how, "the worker's own session, not the setup's shared one").toBe('single-sign-on');
    const origin = new URL(proxied.appUrl).origin;
    expect(own.sessionStorage[origin]?.[SESSION_STORAGE_KEY], 'a token of its own session').toMatch(TOKEN);
    expect(own.sessionStorage[origin][SESSION_STORAGE_KEY]).not.toBe(setup.sessionStorage[origin][SESSION_STORAGE_KEY]);

    const mine = await browser.newContext({ baseURL: proxied.appUrl, storageState: own.storageState });
    try {
      await restoreSessionStorage(mine, own.sessionStorage);
      const page = await mine.newPage();
      await page.goto('/shell/nodes');
      await expect(page.getByTestId('user-identity')).toHaveText('Ada Lovelace (ada)');
    } finally {
      await mine.close();
    }
  } finally {
    await proxied.stop();
  }
});

test("an IdP that asks for its form again: the worker shares the setup's session at once, not after a step's timeout", async ({
  browser,
  playwright,
}, testInfo) => {
  const setup = await signIn(browser, testInfo);
  // The IdP no longer knows the session its cookies name (expired, or signed out elsewhere).
  const forgotten: SignedInSession = {
    ...setup,
    storageState: {
      ...setup.storageState,
      cookies: setup.storageState.cookies.map(c =>
        setup.idpCookies.includes(c.name) ? { ...c, value: 'forgotten' } : c,
      ),
    },
  };
  // A step may take two minutes here, longer than this test may: only seeing the form ends the walk in time.
  const env = environmentFor(stack, { driver: 'keycloak' }, 120);
  const session = await sessionOnSingleSignOn({
    playwright,
    env,
    user: ADA,
    setup: forgotten,
    launch,
  });
  expect(session.how).toBe('shared');
  expect(session.storageState).toBe(forgotten.storageState);
});

test('a value the shape does not take stops the stack with exit 2, naming the variable', async () => {
  const { code, stderr } = await runStackToExit({ env: { PACKGATE_STACK_SESSION_STORAGE: 'yes' } });
  expect(code).toBe(2);
  expect(stderr).toContain('PACKGATE_STACK_SESSION_STORAGE: "yes" is neither 1 nor 0');
});
