import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { expect, test, type Browser } from '@playwright/test';
import { SignInError, signInInteractively } from '../../fixtures/sign-in.ts';
import { missingAccount } from '../../fixtures/sign-in-setup.ts';
import { sessionOnSingleSignOn } from '../../fixtures/single-sign-on.ts';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../../src/browser/chromium.ts';
import type { LoginDriver } from '../../src/schema/environment.ts';
import { issueCertificates } from '../../stack/parity/certificates.ts';
import { ADA, environmentFor } from './variant-environment.ts';

/**
 * The fixtures' sign-in against a deployment that answers as real ones do where the reference stack
 * does not: an IdP that sends the browser back to the app's callback with an error (a scope it does
 * not grant, the user refused access), an app whose callback then goes home rather than answering
 * 4xx, a page after the password the driver does not know, a locked account. A real browser, on a
 * small loopback app and IdP: each sign-in fails naming its step, what the IdP said, and what to set.
 */

const chromium = findChromium();
if (!chromium) throw noBrowserError();
test.use({ launchOptions: chromiumLaunchOptions(chromium, { headless: true }) });

const PASSWORD = 'deployment-test-password-5be1';

/** What the loopback IdP does with an authorization request, and with the credentials. */
type Behaviour = {
  authorize?: 'form' | 'invalid_scope' | 'silent' | 'hang-up';
  credentials?: 'accepted' | 'access_denied' | 'locked' | 'lock-warning' | 'update-password' | 'refused' | 'silent';
  /** An authorize request with the IdP's session cookie: its form again, a code at once, or an error back. */
  singleSignOn?: 'form' | 'code' | 'interaction_required';
  /**
   * How the app's login page sends the browser to the IdP: a redirect (default), or its script once
   * the page has loaded, as a single-page app does after fetching the IdP's metadata.
   */
  start?: 'redirect' | 'script';
  /** The app keeps a token in the tab's sessionStorage, as SPAs do: a worker's single sign-on then walks in a page. */
  sessionStorage?: boolean;
};

type Loopback = { app: string; idp: string; behave: (b: Behaviour) => void; close: () => Promise<void> };

function page(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function loopback(): Promise<Loopback> {
  let behaviour: Behaviour = {};
  const send = (res: http.ServerResponse, status: number, html: string, headers: http.OutgoingHttpHeaders = {}) =>
    res.writeHead(status, { 'content-type': 'text/html', ...headers }).end(html);
  const redirect = (res: http.ServerResponse, location: string, headers: http.OutgoingHttpHeaders = {}) =>
    res.writeHead(302, { location, ...headers }).end();

  // The app: /login sends to the IdP; its callback, as many SPAs' do, goes home whatever came back.
  let appUrl = '';
  let sessions = 0;
  let idpUrl = '';
  const app = http.createServer((req, res) => {
    const url = new URL(req.url!, appUrl);
    if (url.pathname === '/login') {
      const authorize = new URL('/auth', idpUrl);
      authorize.search = new URLSearchParams({
        client_id: 'gpuaas-app',
        redirect_uri: `${appUrl}/auth/callback`,
        response_type: 'code',
        scope: 'openid',
        state: 'state-1',
      }).toString();
      if (behaviour.start === 'script')
        return send(
          res,
          200,
          page(
            'Loading',
            `<p>Loading...</p><script>addEventListener('load', () => setTimeout(() => location.assign(${JSON.stringify(authorize.href)}), 300))</script>`,
          ),
        );
      return redirect(res, authorize.href);
    }
    if (url.pathname === '/auth/callback')
      return url.searchParams.has('code')
        ? redirect(res, '/home', { 'set-cookie': `sid=session-${++sessions}; Path=/; HttpOnly` })
        : redirect(res, '/');
    if (url.pathname === '/home')
      return send(
        res,
        200,
        page(
          'Home',
          `${behaviour.sessionStorage ? "<script>sessionStorage.setItem('token', 'token-1')</script>" : ''}<h1>Welcome back</h1>`,
        ),
      );
    return send(res, 200, page('App', '<h1>Welcome</h1><a href="/login">Sign in</a>'));
  });

  const form = (error = '', typed = '') =>
    page(
      'Sign in',
      `<form method="post" action="/authenticate">${error}` +
        `<input id="username" name="username"><input id="password" name="password" type="password" value="${typed}">` +
        '<button id="kc-login">Sign In</button></form>',
    );
  const posted = async (req: http.IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return new URLSearchParams(body);
  };
  const back = (params: Record<string, string>) =>
    `${appUrl}/auth/callback?${new URLSearchParams({ ...params, state: 'state-1' })}`;
  const idp = http.createServer((req, res) => {
    const url = new URL(req.url!, idpUrl);
    if (url.pathname === '/auth') {
      // An IdP that takes the request and does not answer in time (overloaded, a cold start).
      // A gateway in front of the IdP that drops the connection (its upstream down, a reset).
      if (behaviour.authorize === 'hang-up') return void req.socket.destroy();
      if (behaviour.authorize === 'silent') return void setTimeout(() => send(res, 200, form()), 3000);
      if (req.headers.cookie?.includes('idp_session=') && (behaviour.singleSignOn ?? 'form') !== 'form')
        return redirect(
          res,
          behaviour.singleSignOn === 'code'
            ? back({ code: 'code-2' })
            : back({ error: 'interaction_required', error_description: 'The user must sign in again' }),
        );
      if (behaviour.authorize === 'invalid_scope')
        return redirect(res, back({ error: 'invalid_scope', error_description: 'Invalid scopes: openid' }));
      return send(res, 200, form());
    }
    if (url.pathname === '/authenticate') {
      switch (behaviour.credentials ?? 'accepted') {
        case 'accepted':
          return redirect(res, back({ code: 'code-1' }), { 'set-cookie': 'idp_session=sso-1; Path=/; HttpOnly' });
        case 'access_denied':
          return redirect(
            res,
            back({ error: 'access_denied', error_description: 'User is not allowed to use this app' }),
          );
        case 'locked':
          return send(
            res,
            200,
            form(
              '<span id="input-error">Account is temporarily disabled; contact your administrator or retry later.</span>',
            ),
          );
        case 'lock-warning':
          // A wrong password, with the IdP's count of what is left before it locks the account.
          return send(
            res,
            200,
            form(
              '<span id="input-error">Invalid username or password. 2 attempts left before your account is locked.</span>',
            ),
          );
        case 'silent':
          return void setTimeout(() => redirect(res, back({ code: 'code-1' })), 3000);
        case 'refused':
          // As some IdPs do, the form comes back with the password typed still in it.
          return void posted(req).then(body =>
            send(res, 200, form('<p class="alert">Invalid username or password.</p>', body.get('password') ?? '')),
          );
        case 'update-password':
          return send(
            res,
            200,
            page(
              'Update password',
              '<p>You need to change your password to activate your account.</p>' +
                '<input id="password-new" type="password"><input id="password-confirm" type="password"><button>Submit</button>',
            ),
          );
      }
    }
    return send(res, 404, page('Not found', 'not found'));
  });
  appUrl = await listen(app);
  idpUrl = await listen(idp);
  return {
    app: appUrl,
    idp: idpUrl,
    behave: b => (behaviour = b),
    close: async () => {
      app.closeAllConnections();
      idp.closeAllConnections();
      await Promise.all([app, idp].map(s => new Promise(resolve => s.close(resolve))));
    },
  };
}

let deployment: Loopback;
test.beforeAll(async () => {
  deployment = await loopback();
});
test.afterAll(async () => {
  await deployment?.close();
});

/** The loopback deployment as a team would describe it (the app serves its own API here). */
function environment(login?: LoginDriver) {
  return environmentFor({ appUrl: deployment.app, apiUrl: deployment.app, issuerUrl: deployment.idp }, login, 1);
}

async function signIn(browser: Browser, behaviour: Behaviour, login?: LoginDriver) {
  deployment.behave(behaviour);
  const context = await browser.newContext();
  try {
    return await signInInteractively({
      page: await context.newPage(),
      env: environment(login),
      user: ADA,
      password: PASSWORD,
    });
  } finally {
    await context.close();
  }
}

async function failure(browser: Browser, behaviour: Behaviour, login?: LoginDriver): Promise<SignInError> {
  const error = await signIn(browser, behaviour, login).catch(e => e);
  expect(error, String(error?.stack ?? error)).toBeInstanceOf(SignInError);
  expect((error as Error).message).not.toContain(PASSWORD);
  return error as SignInError;
}

test('the loopback deployment signs in', async ({ browser }) => {
  const session = await signIn(browser, {});
  expect(session.journey.at(-1)).toMatchObject({ step: 'landed-in-app', url: `${deployment.app}/home` });
});

/**
 * A single-page app's sign-in page, which sends the browser to the IdP from its script after it has
 * loaded (oidc-client-ts and MSAL do, once they have the IdP's metadata). Before, the sign-in failed
 * at once: "<app>/login ended at <app>/login (HTTP 200), not at the IdP: check oidc.login_path".
 */
test('an app whose sign-in page sends the browser to the IdP from its script signs in', async ({ browser }) => {
  const session = await signIn(browser, { start: 'script' });
  expect(session.journey.map(step => step.step)).toEqual([
    'app-sent-to-idp',
    'idp-showed-form',
    'idp-accepted-credentials',
    'app-accepted-callback',
    'landed-in-app',
  ]);
  expect(session.journey[0]).toMatchObject({ url: `${deployment.idp}/auth`, status: 200 });
});

test('an IdP that refuses the request back at the callback (error=invalid_scope) is a refusal, with its words', async ({
  browser,
}) => {
  const error = await failure(browser, { authorize: 'invalid_scope' });
  expect(error.message).toBe(
    'sign-in failed at step "idp-showed-form": the IdP refused the authorization request, sending the browser ' +
      'back to the app\'s callback with error=invalid_scope: "Invalid scopes: openid" ' +
      `(redirect_uri=${deployment.app}/auth/callback, client_id=gpuaas-app)`,
  );
});

test("an IdP that refuses the sign-in after the credentials (error=access_denied) fails it, though the app's callback goes home", async ({
  browser,
}) => {
  const error = await failure(browser, { credentials: 'access_denied' });
  expect(error.message).toBe(
    'sign-in failed at step "idp-accepted-credentials": the IdP sent the browser back to the app\'s callback ' +
      `${deployment.app}/auth/callback with error=access_denied: "User is not allowed to use this app", not with a code`,
  );
});

test('a locked account is said as locked at the IdP, not as a wrong password or a missing account', async ({
  browser,
}) => {
  const error = await failure(browser, { credentials: 'locked' });
  expect(error.message).toBe(
    'sign-in failed at step "idp-accepted-credentials": the IdP refused the account "ada" as locked or disabled: ' +
      'Account is temporarily disabled; contact your administrator or retry later.; ' +
      'enable it at the IdP, or wait for it to unlock (an IdP may lock an account after failed sign-ins, such as runs with a wrong password)',
  );
  expect(error.credentialsRefused, 'not taken for a missing account or a wrong password').toBe(false);
  // In a verify environment its packs are not run, saying why: as for a missing account, not the whole run blocked.
  expect(missingAccount(environment(), ADA, error)).toBe(
    'seed check: persona "ada" cannot sign in to environment "variant" as "ada": the IdP refused the account "ada" ' +
      'as locked or disabled: Account is temporarily disabled; contact your administrator or retry later.; ' +
      'enable it at the IdP, or wait for it to unlock (an IdP may lock an account after failed sign-ins, such as runs with a wrong password)',
  );
});

/**
 * An IdP that counts down to a lock ("2 attempts left before your account is locked") refuses the
 * password. Before, its words were read as a locked account: "enable it at the IdP, or wait for it
 * to unlock", and a run after the wait, with the same wrong password, locked it.
 */
test('a wrong password with a warning of a lock to come is a refused credential, not a locked account', async ({
  browser,
}) => {
  const error = await failure(browser, { credentials: 'lock-warning' });
  expect(error.message).toBe(
    'sign-in failed at step "idp-accepted-credentials": the IdP refused the credentials of "ada": ' +
      'Invalid username or password. 2 attempts left before your account is locked.; ' +
      'correct them before another run, or the IdP locks the account',
  );
  expect(error).toMatchObject({ credentialsRefused: true, accountLocked: false });
  expect(missingAccount(environment(), ADA, error)).toMatch(
    /^seed check: persona "ada" cannot sign in to environment "variant" as "ada": the IdP refused its credentials, so the account is missing or \S+ is wrong/,
  );
  // Still locked, once it is: the words of a lock in place.
  expect((await failure(browser, { credentials: 'locked' })).accountLocked).toBe(true);
});

test('a misspelt selector of the first login step is named with its step and where the driver is set', async ({
  browser,
}) => {
  const error = await failure(
    browser,
    {},
    { driver: 'form', selectors: { username: '#usernam', password: '#password', submit: '#kc-login' } },
  );
  expect(error.message).toBe(
    'sign-in failed at step "idp-showed-form": login step 1 of 3 (fill #usernam with the username): ' +
      `#usernam did not show within 1000 ms; the page showed "Sign In" (at ${deployment.idp}/auth); ` +
      "check oidc.login in environments/variant.yaml: its selectors must match the IdP's pages " +
      `(redirect_uri=${deployment.app}/auth/callback, client_id=gpuaas-app)`,
  );
});

test('a page the IdP shows after the password, unknown to the driver, is named with what to configure', async ({
  browser,
}) => {
  const error = await failure(browser, { credentials: 'update-password' });
  expect(error.message).toBe(
    'sign-in failed at step "idp-accepted-credentials": after the last login step, the browser reached neither ' +
      `the app's callback ${deployment.app}/auth/callback nor an IdP error within 1000 ms; the page showed ` +
      `"You need to change your password to activate your account. Submit" (at ${deployment.idp}/authenticate); ` +
      'a page the IdP shows after the password on every sign-in (a "Continue", consent) is a step to add to oidc.login ' +
      'in environments/variant.yaml ({ click: <its button>, optional: true }); one asking for something of the account ' +
      '(a new password, terms, a second factor) is to settle once at the IdP for that test account',
  );
});

test('an IdP slower than a step may take is named, with the setting that gives it more time', async ({ browser }) => {
  const error = await failure(browser, { authorize: 'silent' });
  expect(error.message).toBe(
    'sign-in failed at step "app-sent-to-idp": the IdP did not answer ' +
      `${deployment.idp}/auth within 1000 ms (the app sent the browser there from ${deployment.app}/login); ` +
      'if it is slow rather than down, raise oidc.step_timeout_s in environments/variant.yaml (now 1)',
  );

  // Slow to answer the form: the page still shows it, password and all, yet it was sent.
  const posted = await failure(browser, { credentials: 'silent' });
  expect(posted.message).toBe(
    'sign-in failed at step "idp-accepted-credentials": the IdP did not answer ' +
      `${deployment.idp}/authenticate within 1000 ms (after login step 3 of 3 (click #kc-login)); ` +
      'if it is slow rather than down, raise oidc.step_timeout_s in environments/variant.yaml (now 1)',
  );
});

test('a login step whose selector is not a selector is named as such, at once', async ({ browser }) => {
  const error = await failure(
    browser,
    {},
    { driver: 'form', selectors: { username: '#username', password: '#password]', submit: '#kc-login' } },
  );
  expect(error.message).toMatch(
    /^sign-in failed at step "idp-accepted-credentials": login step 2 of 3 \(fill #password\] with the password\): "#password\]" is not a valid selector: .*; check oidc\.login in environments\/variant\.yaml/,
  );
});

const FALLBACK =
  "a worker's single sign-on the IdP answers with an error at the callback falls back to the setup's session";
for (const sessionStorage of [false, true])
  test(`${FALLBACK}${sessionStorage ? ' (in a page)' : ''}`, async ({ browser, playwright, launchOptions }) => {
    const setup = await signIn(browser, { sessionStorage });
    expect(Object.keys(setup.sessionStorage[deployment.app] ?? {}).length > 0).toBe(sessionStorage);
    const sid = (session: { storageState: { cookies: Array<{ name: string; value: string }> } }) =>
      session.storageState.cookies.find(c => c.name === 'sid')?.value;
    expect(setup.idpCookies).toContain('idp_session');

    deployment.behave({ singleSignOn: 'code', sessionStorage });
    const own = await sessionOnSingleSignOn({
      playwright,
      env: environment(),
      user: ADA,
      setup,
      launch: launchOptions,
    });
    expect(own.how).toBe('single-sign-on');
    expect(sid(own), "the worker's own app session").not.toBe(sid(setup));

    // The app's callback goes home whatever came back: not a session of the worker's, the setup's instead.
    deployment.behave({ singleSignOn: 'interaction_required', sessionStorage });
    const shared = await sessionOnSingleSignOn({
      playwright,
      env: environment(),
      user: ADA,
      setup,
      launch: launchOptions,
    });
    expect(shared.how).toBe('shared');
    expect(sid(shared)).toBe(sid(setup));
  });

test('a refused password on an IdP whose error element the driver does not name is said as refused, not as an unknown page', async ({
  browser,
}) => {
  const form = { username: '#username', password: '#password', submit: '#kc-login' };
  const refused = await failure(browser, { credentials: 'refused' }, { driver: 'form', selectors: form });
  expect(refused.message).toBe(
    'sign-in failed at step "idp-accepted-credentials": the IdP showed its sign-in form again after the password: ' +
      'it did not accept the credentials of "ada"; ' +
      `the page showed "Invalid username or password. Sign In" (at ${deployment.idp}/authenticate); ` +
      "to have the IdP's words here, set oidc.login.selectors.error in environments/variant.yaml to the element where the IdP says why",
  );
  expect(refused.credentialsRefused).toBe(true);

  // A last step that does not send the form leaves the password in its field: that, not a refusal.
  const unsent = await failure(browser, {}, { driver: 'form', selectors: { ...form, submit: '#username' } });
  expect(unsent.message).toBe(
    'sign-in failed at step "idp-accepted-credentials": after the last login step the IdP\'s form was still there, ' +
      `its password field filled: the form was not sent; the page showed "Sign In" (at ${deployment.idp}/auth); ` +
      "check oidc.login in environments/variant.yaml: its selectors must match the IdP's pages, and the last step must send the form",
  );
  expect(unsent.credentialsRefused).toBe(false);
});

test('an IdP that drops the connection is named, not the app whose start page sent the browser there', async ({
  browser,
}) => {
  const error = await failure(browser, { authorize: 'hang-up' });
  expect(error.message).toBe(
    `sign-in failed at step "app-sent-to-idp": the IdP did not answer ${deployment.idp}/auth ` +
      `(the app sent the browser there from ${deployment.app}/login): net::ERR_EMPTY_RESPONSE`,
  );
});

/**
 * An app and IdP on one host whose certificate a private CA issued, signed in to before the
 * descriptor names that CA. Before, the sign-in said "the IdP did not answer https://<host>/login
 * (the app sent the browser there from https://<host>/login)": the same URL twice, the app's own
 * page blamed on the IdP, and nothing said of the certificate. The same of an IdP on its own host.
 */
test('a certificate the browser does not trust is said as such, of the URL it refused, with what to set', async ({
  browser,
}) => {
  const issued = issueCertificates(['127.0.0.1']);
  const host = https.createServer({ cert: issued.certPem, key: issued.keyPem }, (req, res) =>
    res.writeHead(302, { location: '/auth?redirect_uri=x' }).end(),
  );
  await new Promise<void>(resolve => host.listen(0, '127.0.0.1', resolve));
  const base = `https://127.0.0.1:${(host.address() as AddressInfo).port}`;
  // An app on a host the browser trusts (plain HTTP here) that sends the browser to that IdP.
  // Its sign-in page sends the browser on by a redirect, or from its script (a single-page app's).
  const app = http.createServer((req, res) =>
    req.url === '/script/login'
      ? res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<script>location.assign(${JSON.stringify(`${base}/auth?redirect_uri=x`)})</script>`)
      : res.writeHead(302, { location: `${base}/auth?redirect_uri=x` }).end(),
  );
  const appUrl = await listen(app);
  const signInTo = async (urls: { appUrl: string; issuerUrl: string }) => {
    const context = await browser.newContext();
    try {
      const env = environmentFor({ ...urls, apiUrl: urls.appUrl }, undefined, 1);
      return await signInInteractively({ page: await context.newPage(), env, user: ADA, password: PASSWORD }).catch(
        (error: unknown) => error as SignInError,
      );
    } finally {
      await context.close();
    }
  };
  const whatToDo =
    "if a private CA issued it, set tls.ca_file in environments/variant.yaml to that CA's certificate (PEM); " +
    "`packgate env check variant` checks each URL's certificate";
  try {
    const oneHost = await signInTo({ appUrl: base, issuerUrl: `${base}/realms/gpuaas` });
    expect(oneHost).toBeInstanceOf(SignInError);
    expect((oneHost as SignInError).message).toBe(
      `sign-in failed at step "app-sent-to-idp": the browser does not trust the certificate of ${base} ` +
        `(net::ERR_CERT_AUTHORITY_INVALID) at ${base}/login: ${whatToDo}`,
    );
    const idpHost = await signInTo({ appUrl, issuerUrl: `${base}/realms/gpuaas` });
    expect((idpHost as SignInError).message).toBe(
      `sign-in failed at step "app-sent-to-idp": the browser does not trust the certificate of ${base} ` +
        `(net::ERR_CERT_AUTHORITY_INVALID) at ${base}/auth (the app sent the browser there from ${appUrl}/login): ${whatToDo}`,
    );
    const fromScript = await signInTo({ appUrl: `${appUrl}/script`, issuerUrl: `${base}/realms/gpuaas` });
    expect((fromScript as SignInError).message).toBe(
      `sign-in failed at step "app-sent-to-idp": the browser does not trust the certificate of ${base} ` +
        `(net::ERR_CERT_AUTHORITY_INVALID) at ${base}/auth (the app's page sent the browser there from ${appUrl}/script/login): ${whatToDo}`,
    );
  } finally {
    host.closeAllConnections();
    app.closeAllConnections();
    await Promise.all([host, app].map(s => new Promise(resolve => s.close(resolve))));
  }
});
