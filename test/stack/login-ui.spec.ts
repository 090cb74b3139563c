import { expect, test, type Browser, type TestInfo } from '@playwright/test';
import { loginSteps, SignInError, signInInteractively } from '../../fixtures/sign-in.ts';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../../src/browser/chromium.ts';
import type { LoginDriver } from '../../src/schema/environment.ts';
import { runStackToExit, startStack, TEST_PASSWORD, type RunningStack } from './start-stack.ts';
import { ADA, environmentFor } from './variant-environment.ts';

/**
 * The sign-in driver against each login UI the reference IdP can show (PACKGATE_STACK_LOGIN_UI):
 * each signs in through the steps its descriptor gives, and with a wrong password fails naming the
 * step and quoting what the IdP said. A real browser, a real IdP, the fixtures' own sign-in.
 */

const chromium = findChromium();
if (!chromium) throw noBrowserError();
test.use({ launchOptions: chromiumLaunchOptions(chromium, { headless: true }) });

const IDENTIFIER_FIRST: LoginDriver = {
  driver: 'steps',
  steps: [
    { fill: '#username', with: 'username', optional: false },
    { click: '#kc-next', optional: false },
    { fill: '#password', with: 'password', optional: false },
    { click: '#kc-login', optional: false },
    { click: '#kc-continue', optional: true },
    { click: '#kc-accept', optional: true },
  ],
  error: '#input-error, #kc-error-message',
};

const ONE_FORM_WITH_EXTRAS: LoginDriver = {
  driver: 'steps',
  steps: [
    { fill: '#username', with: 'username', optional: false },
    { fill: '#password', with: 'password', optional: false },
    { click: '#kc-login', optional: false },
    { click: '#kc-continue', optional: true },
    { click: '#kc-accept', optional: true },
  ],
  error: '#input-error, #kc-error-message',
};

const VARIANTS: Array<{ ui: string; driver: LoginDriver }> = [
  { ui: 'classic', driver: { driver: 'keycloak' } },
  { ui: 'identifier-first', driver: IDENTIFIER_FIRST },
  { ui: 'identifier-first+interstitial', driver: IDENTIFIER_FIRST },
  { ui: 'consent', driver: ONE_FORM_WITH_EXTRAS },
  { ui: 'identifier-first+interstitial+consent', driver: IDENTIFIER_FIRST },
];

async function signIn(
  browser: Browser,
  stack: RunningStack,
  login: LoginDriver,
  password: string,
  _info: TestInfo,
  stepTimeoutS?: number,
) {
  const env = environmentFor(stack, login, stepTimeoutS);
  const context = await browser.newContext();
  try {
    return await signInInteractively({ page: await context.newPage(), env, user: ADA, password });
  } finally {
    await context.close();
  }
}

for (const { ui, driver } of VARIANTS) {
  test(`login UI ${ui}: signs in with the ${driver.driver} driver; a wrong password fails naming the step`, async ({
    browser,
  }, testInfo) => {
    const stack = await startStack({ env: { PACKGATE_STACK_LOGIN_UI: ui } });
    try {
      const session = await signIn(browser, stack, driver, TEST_PASSWORD, testInfo);
      expect(session.journey.map(s => s.step)).toEqual([
        'app-sent-to-idp',
        'idp-showed-form',
        'idp-accepted-credentials',
        'app-accepted-callback',
        'landed-in-app',
      ]);
      const me = await fetch(`${stack.apiUrl}/v1/me`, {
        headers: { cookie: session.storageState.cookies.map(c => `${c.name}=${c.value}`).join('; ') },
      });
      expect(me.status, 'the session reaches the API').toBe(200);
      expect(await me.json()).toMatchObject({ username: 'ada' });

      const refused = await signIn(browser, stack, driver, 'not-the-password', testInfo).catch(e => e);
      expect(refused).toBeInstanceOf(SignInError);
      expect((refused as SignInError).step).toBe('idp-accepted-credentials');
      expect((refused as Error).message).toBe(
        'sign-in failed at step "idp-accepted-credentials": the IdP refused the credentials of "ada": Invalid username or password.',
      );

      // The extra pages are really there: without its optional steps the driver stops on the first.
      if (driver.driver === 'steps' && /interstitial|consent/.test(ui)) {
        const strict = { ...driver, steps: driver.steps.filter(step => !('optional' in step && step.optional)) };
        const stuck = await signIn(browser, stack, strict, TEST_PASSWORD, testInfo, 1).catch(e => e);
        expect((stuck as Error).message).toContain(
          ui.includes('interstitial')
            ? 'the page showed "gpuaas You are signed in'
            : 'the page showed "gpuaas Grant access',
        );
      }
    } finally {
      await stack.stop();
    }
  });
}

test('a driver that does not fit the login UI fails naming the step, its selector and what the page showed', async ({
  browser,
}, testInfo) => {
  const stack = await startStack({ env: { PACKGATE_STACK_LOGIN_UI: 'identifier-first' } });
  try {
    const error = await signIn(browser, stack, { driver: 'keycloak' }, TEST_PASSWORD, testInfo).catch(e => e);
    expect(error).toBeInstanceOf(SignInError);
    expect((error as Error).message).toMatch(
      /^sign-in failed at step "idp-accepted-credentials": login step 2 of 3 \(fill #password with the password\): #password did not show within 5000 ms after the previous step; the page showed "gpuaas Sign in to your account Username or email.*" \(at http:\/\/127\.0\.0\.1:\d+\/realms\/gpuaas\/login-actions\/authenticate\/[^ ]+\); check oidc\.login in environments\/variant\.yaml: its selectors must match the IdP's pages$/,
    );
  } finally {
    await stack.stop();
  }
});

test('keycloak and form drivers are step presets', () => {
  expect(loginSteps({ driver: 'keycloak' }).steps.map(s => Object.keys(s)[0])).toEqual(['fill', 'fill', 'click']);
  expect(
    loginSteps({ driver: 'form', selectors: { username: '#u', password: '#p', submit: '#s', error: '.e' } }),
  ).toEqual({
    steps: [
      { fill: '#u', with: 'username', optional: false },
      { fill: '#p', with: 'password', optional: false },
      { click: '#s', optional: false },
    ],
    error: '.e',
  });
});

test('a shape the stack cannot take stops it with exit 2, naming the variable and what it takes', async () => {
  const { code, stderr } = await runStackToExit({
    env: { PACKGATE_STACK_LOGIN_UI: 'identifier-first+two-factor', PACKGATE_STACK_USERNAMES: 'ada' },
  });
  expect(code).toBe(2);
  expect(stderr).toContain(
    'PACKGATE_STACK_LOGIN_UI: "two-factor" is not a login UI; use classic, identifier-first, interstitial, consent, joined by +',
  );
  expect(stderr).toContain('PACKGATE_STACK_USERNAMES: "ada" is not <seed user id>=<user name>');
});
