import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { stackFingerprint } from '../../src/environment/fingerprint.ts';
import { resolveEnvironment } from '../../src/environment/resolve.ts';
import { requestedFaults, stackSettings } from '../../src/faults/faults.ts';
import { authorizeUrl, hop, locationOf, openLoginForm, setCookies } from './oidc-flow.ts';
import { AppOidcClient } from '../../stack/app/oidc-client.ts';
import {
  ROOT,
  runStackToExit,
  spawnStack,
  startStack,
  TEST_CLIENT_SECRET,
  TEST_PASSWORD,
  type RunningStack,
} from './start-stack.ts';
import { freePorts } from '../helpers/ports.ts';
import { TempProject } from '../helpers/temp-project.ts';
import { signIn } from './session.ts';
import { TerminalClient } from './terminal-client.ts';

/**
 * The reference stack over HTTP only (no browser): the IdP's OIDC contract, the app's sign-in
 * and shell, the stack control endpoints, correlation ids and logs, faults, and start-up failures.
 */

const CLIENT_ID = 'gpuaas-app';

/** The fingerprint Playwright's webServer would ask for, computed by the core from the same env vars (or `env`). */
function expectedFingerprint(stack: Pick<RunningStack, 'env'>, env = stack.env): string {
  const catalogue = loadCatalogueOrThrow(ROOT);
  const resolved = resolveEnvironment(catalogue, 'local', env);
  return stackFingerprint(resolved, requestedFaults(catalogue, env), stackSettings(env));
}

type LogLine = {
  ts: string;
  service: string;
  method: string;
  path: string;
  status: number;
  correlationId: string;
  ms: number;
};

function logLines(stack: RunningStack): LogLine[] {
  return stack
    .stdout()
    .split('\n')
    .filter(line => line.startsWith('{'))
    .map(line => JSON.parse(line) as LogLine);
}

test.describe('healthy stack', () => {
  let stack: RunningStack;

  test.beforeAll(async () => {
    stack = await startStack();
  });

  test.afterAll(async () => {
    await stack?.stop();
  });

  test('announces itself once every server listens', async () => {
    expect(stack.stdout()).toContain(
      `packgate stack "local" ready: app ${stack.appUrl}, api ${stack.apiUrl}, idp ${stack.issuerUrl}, faults: none\n`,
    );
  });

  test('the IdP publishes Keycloak-shaped discovery and a public RS256 key', async ({ request }) => {
    const response = await request.get(`${stack.issuerUrl}/.well-known/openid-configuration`);
    expect(response.status()).toBe(200);
    const discovery = await response.json();
    expect(discovery.issuer).toBe(stack.issuerUrl);
    expect(discovery.authorization_endpoint).toBe(`${stack.issuerUrl}/protocol/openid-connect/auth`);
    expect(discovery.token_endpoint).toBe(`${stack.issuerUrl}/protocol/openid-connect/token`);
    expect(discovery.jwks_uri).toBe(`${stack.issuerUrl}/protocol/openid-connect/certs`);
    expect(discovery.userinfo_endpoint).toBe(`${stack.issuerUrl}/protocol/openid-connect/userinfo`);
    expect(discovery.end_session_endpoint).toBe(`${stack.issuerUrl}/protocol/openid-connect/logout`);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.response_types_supported).toEqual(['code']);

    const jwks = await request.get(discovery.jwks_uri);
    expect(jwks.status()).toBe(200);
    const { keys } = await jwks.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const secretPart of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
      expect(keys[0], `the JWKS must not publish the private "${secretPart}"`).not.toHaveProperty(secretPart);
  });

  test('authorize accepts the registered redirect_uri and refuses any other', async ({ request }) => {
    const accepted = await hop(
      request,
      authorizeUrl(stack.issuerUrl, { clientId: CLIENT_ID, redirectUri: `${stack.appUrl}/auth/callback` }),
    );
    expect([302, 303]).toContain(accepted.status());
    expect(locationOf(accepted, stack.issuerUrl).pathname).toMatch(
      /^\/realms\/gpuaas\/login-actions\/authenticate\/[^/]+$/,
    );

    const refused = await hop(
      request,
      authorizeUrl(stack.issuerUrl, { clientId: CLIENT_ID, redirectUri: `${stack.appUrl}/not-registered` }),
    );
    expect(refused.status()).toBe(400);
    const html = await refused.text();
    expect(html).toMatch(
      /<div id="kc-error-message">\s*<p class="instruction">[^]*Invalid parameter: redirect_uri[^]*<\/p>\s*<\/div>/,
    );
    expect(html).toContain('invalid_redirect_uri');
    expect(refused.headers()['location'], 'an unregistered redirect_uri is never redirected to').toBeUndefined();
  });

  test('authorize requires PKCE', async ({ request }) => {
    const redirectUri = `${stack.appUrl}/auth/callback`;
    const response = await hop(
      request,
      authorizeUrl(stack.issuerUrl, { clientId: CLIENT_ID, redirectUri, pkce: false }),
    );
    expect(response.status()).toBe(303);
    const back = locationOf(response, stack.issuerUrl);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  test('a full authorization code flow signs Ada in and lands in the shell', async ({ request }) => {
    const before = (await (await request.get(`${stack.appUrl}/__stack/stats`)).json()).interactiveLogins;

    const { authorize, html, action } = await openLoginForm(request, stack.appUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.appUrl}/auth/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('openid profile email');
    expect(html).toContain('<input id="username" name="username"');
    expect(html).toMatch(/<input id="password" name="password" type="password"/);
    expect(html).toMatch(/<input id="kc-login"[^>]*type="submit" value="Sign In"/);

    const submitted = await hop(request, action.href, { form: { username: 'ada', password: TEST_PASSWORD } });
    expect(submitted.status()).toBe(303);
    const resumed = await hop(request, locationOf(submitted, action.href).href);
    expect(resumed.status()).toBe(303);
    const callbackUrl = locationOf(resumed, action.href);
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(`${stack.appUrl}/auth/callback`);
    const code = callbackUrl.searchParams.get('code')!;
    const state = callbackUrl.searchParams.get('state')!;
    expect(code).toBeTruthy();

    const callback = await hop(request, callbackUrl.href);
    expect(callback.status(), await callback.text()).toBe(302);
    expect(locationOf(callback, stack.appUrl).pathname).toBe('/shell');
    const session = setCookies(callback).find(c => c.startsWith('gpuaas_session='));
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).not.toMatch(/; Secure/);

    const shell = await hop(request, `${stack.appUrl}/shell`);
    expect(shell.status()).toBe(200);
    const shellHtml = await shell.text();
    expect(shellHtml).toContain('<span data-testid="user-identity">Ada Lovelace (ada)</span>');
    expect(shellHtml).toMatch(/data-testid="tenant-context"[^>]*>Acme Research</);
    expect(shellHtml).toMatch(/data-testid="project-context"[^>]*>Vision Models</);

    const after = (await (await request.get(`${stack.appUrl}/__stack/stats`)).json()).interactiveLogins;
    expect(after.total - before.total).toBe(1);
    expect((after.byUser.ada ?? 0) - (before.byUser.ada ?? 0)).toBe(1);

    // The logs saw the whole flow, and none of its secrets.
    const logs = logLines(stack);
    expect(
      logs.some(
        l =>
          l.service === 'idp' &&
          l.method === 'POST' &&
          l.path === '/realms/gpuaas/protocol/openid-connect/token' &&
          l.status === 200,
      ),
    ).toBe(true);
    expect(logs.some(l => l.service === 'app' && l.path === '/auth/callback' && l.status === 302)).toBe(true);
    const output = stack.stdout() + stack.stderr();
    const sessionId = /^gpuaas_session=([^;]+)/.exec(session!)![1];
    for (const [what, value] of Object.entries({
      password: TEST_PASSWORD,
      'client secret': TEST_CLIENT_SECRET,
      code,
      state,
      'session cookie': sessionId,
      'interaction uid': action.pathname.split('/').pop()!,
    }))
      expect(output.includes(value), `the stack's output must not contain the ${what}`).toBe(false);
    expect(
      logs.every(l => !l.path.includes('?')),
      'logged paths carry no query',
    ).toBe(true);

    const signedOut = await hop(request, `${stack.appUrl}/logout`);
    expect(signedOut.status()).toBe(200);
    const afterLogout = await hop(request, `${stack.appUrl}/shell`);
    expect(afterLogout.status()).toBe(302);
  });

  test('a wrong password re-renders the form with the Keycloak error', async ({ request }) => {
    const before = (await (await request.get(`${stack.appUrl}/__stack/stats`)).json()).interactiveLogins.total;
    const { action } = await openLoginForm(request, stack.appUrl);
    const refused = await hop(request, action.href, { form: { username: 'ada', password: 'not-the-password' } });
    expect(refused.status()).toBe(200);
    const html = await refused.text();
    expect(html).toContain('<span id="input-error"');
    expect(html).toMatch(/id="input-error"[^>]*>Invalid username or password\.</);
    expect(html, 'the username is kept').toContain('value="ada"');
    expect(refused.headers()['location']).toBeUndefined();
    const after = (await (await request.get(`${stack.appUrl}/__stack/stats`)).json()).interactiveLogins.total;
    expect(after, 'a refused sign-in is not counted').toBe(before);
  });

  test('a callback with a forged state is refused without a session', async ({ request }) => {
    const start = await hop(request, `${stack.appUrl}/login`);
    expect(start.status()).toBe(302);
    expect(setCookies(start).find(c => c.startsWith('gpuaas_login='))).toMatch(/HttpOnly/);

    const callback = await hop(request, `${stack.appUrl}/auth/callback?code=forged-code&state=forged-state`);
    expect(callback.status()).toBe(400);
    const html = await callback.text();
    expect(html).toMatch(/<p id="login-error"[^>]*>Sign-in failed: [^<]*state[^<]*<\/p>/);
    expect(
      setCookies(callback).filter(c => c.startsWith('gpuaas_session=')),
      'no session cookie is set',
    ).toEqual([]);

    const shell = await hop(request, `${stack.appUrl}/shell`);
    expect(shell.status()).toBe(302);
    expect(locationOf(shell, stack.appUrl).pathname).toBe('/login');
  });

  test('a callback without a sign-in started in this browser is refused', async ({ request }) => {
    const callback = await hop(request, `${stack.appUrl}/auth/callback?code=c&state=s`);
    expect(callback.status()).toBe(400);
    expect(await callback.text()).toMatch(/<p id="login-error"[^>]*>Sign-in failed: [^<]*gpuaas_login/);
  });

  test('the app sends visitors without a session to sign in', async ({ request }) => {
    const root = await hop(request, `${stack.appUrl}/`);
    expect(root.status()).toBe(302);
    expect(locationOf(root, stack.appUrl).pathname).toBe('/shell');
    const shell = await hop(request, `${stack.appUrl}/shell`);
    expect(shell.status()).toBe(302);
    expect(locationOf(shell, stack.appUrl).pathname).toBe('/login');
    expect((await hop(request, `${stack.appUrl}/no-such-page`)).status()).toBe(404);
  });

  test('the login form without a live interaction says the attempt timed out', async ({ request }) => {
    const response = await hop(request, `${stack.issuerUrl}/login-actions/authenticate/not-a-live-uid`);
    expect(response.status()).toBe(400);
    expect(await response.text()).toMatch(/<div id="kc-error-message">[^]*Your login attempt timed out/);
  });

  test('the ready URL answers 200 for its own fingerprint and 404 for any other', async ({ request }) => {
    const fingerprint = expectedFingerprint(stack);
    const own = await request.get(`${stack.appUrl}/__stack/ready?fingerprint=${fingerprint}`);
    expect(own.status()).toBe(200);
    expect(await own.json()).toEqual({ ready: true, fingerprint, faults: [] });

    const plain = await request.get(`${stack.appUrl}/__stack/ready`);
    expect(plain.status()).toBe(200);

    const other = await request.get(`${stack.appUrl}/__stack/ready?fingerprint=0000000000000000`);
    expect(other.status()).toBe(404);
    const body = await other.json();
    expect(body.ready).toBe(false);
    expect(body.reason).toEqual(expect.any(String));

    // A run that asks for another shape of stack (here its login UI) gets a 404 too: never this one.
    const reshaped = expectedFingerprint(stack, { ...stack.env, PACKGATE_STACK_LOGIN_UI: 'identifier-first' });
    expect(reshaped).not.toBe(fingerprint);
    expect((await request.get(`${stack.appUrl}/__stack/ready?fingerprint=${reshaped}`)).status()).toBe(404);
  });

  test('every response carries a correlation id, and the log line has it', async ({ request }) => {
    for (const url of [
      `${stack.appUrl}/shell`,
      `${stack.issuerUrl}/.well-known/openid-configuration`,
      `${stack.appUrl}/no-such-page`,
      `${stack.issuerUrl}/protocol/openid-connect/auth`,
    ]) {
      const given = await request.get(url, { headers: { 'x-correlation-id': 'pg-test-1234' }, maxRedirects: 0 });
      expect(given.headers()['x-correlation-id'], url).toBe('pg-test-1234');
      const minted = await request.get(url, { maxRedirects: 0 });
      expect(minted.headers()['x-correlation-id'], url).toMatch(/^[0-9a-f-]{36}$/);
    }
    const unsafe = await request.get(`${stack.appUrl}/shell`, {
      headers: { 'x-correlation-id': 'has spaces and "quotes"' },
      maxRedirects: 0,
    });
    expect(unsafe.headers()['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);

    await request.get(`${stack.appUrl}/shell?secret-query=1`, {
      headers: { 'x-correlation-id': 'pg-test-log-5678' },
      maxRedirects: 0,
    });
    await expect
      .poll(() => logLines(stack).find(l => l.correlationId === 'pg-test-log-5678' && l.service === 'app'))
      .toMatchObject({ method: 'GET', path: '/shell', status: 302 });
    // And the proxy's access-log line in front of it.
    await expect
      .poll(() => logLines(stack).find(l => l.correlationId === 'pg-test-log-5678' && l.service === 'proxy'))
      .toMatchObject({ method: 'GET', path: '/shell', status: 302 });
  });
});

test.describe('app OIDC client', () => {
  test('discovers lazily and retries after the IdP was unreachable', async () => {
    const [idpPort] = await freePorts(1);
    const issuer = `http://127.0.0.1:${idpPort}/realms/gpuaas`;
    const client = new AppOidcClient({
      issuer,
      clientId: CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      redirectUri: 'http://127.0.0.1:1/auth/callback',
      scopes: ['openid'],
      correlationHeader: 'x-correlation-id',
    });
    await expect(client.startLogin(), 'nothing listens on the issuer yet').rejects.toThrow();
    const stack = await startStack({ idpPort });
    try {
      const { authorizationUrl, pending } = await client.startLogin();
      expect(authorizationUrl.href.startsWith(`${issuer}/protocol/openid-connect/auth?`)).toBe(true);
      expect(authorizationUrl.searchParams.get('state')).toBe(pending.state);
      expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    } finally {
      await stack.stop();
    }
  });
});

test.describe('start-up and shutdown', () => {
  test('an unknown fault id stops the start with exit 2, listing the known faults', async () => {
    const result = await runStackToExit({ faults: 'no-such-fault' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown fault: no-such-fault');
    expect(result.stderr).toContain('known faults: callback-unregistered');
    expect(result.stdout).not.toContain('ready');
  });

  test('unknown arguments stop the start with exit 2 and the usage', async () => {
    const result = await runStackToExit({ args: ['--env', 'local', '--bogus'] });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--bogus'");
    expect(result.stderr).toContain('usage: node stack/run.js --env <environment>');
  });

  // Before: heard by nothing, the stack started healthy ("faults: none"), and a drill of the gate passed.
  test('a misspelt PACKGATE_STACK_ variable stops the start with exit 2, naming the one meant', async () => {
    const result = await runStackToExit({
      env: {
        PACKGATE_STACK_FAULT: 'callback-500',
        PACKGATE_STACK_SESION_TTL_S: '60',
        PACKGATE_STACK_NOTHING_LIKE: '1',
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'PACKGATE_STACK_FAULT is not a variable the stack reads: did you mean PACKGATE_STACK_FAULTS?\n',
    );
    expect(result.stderr).toContain(
      'PACKGATE_STACK_SESION_TTL_S is not a variable the stack reads: did you mean PACKGATE_STACK_SESSION_TTL_S?\n',
    );
    expect(result.stderr).toMatch(
      /PACKGATE_STACK_NOTHING_LIKE is not a variable the stack reads \(PACKGATE_STACK_FAULTS, PACKGATE_STACK_LOGIN_UI, [^)]*\): unset it\n/,
    );
    expect(result.stdout).not.toContain('ready');

    // One alone is said on the first line, which is what a gate run's verdict quotes.
    const one = await runStackToExit({ env: { PACKGATE_STACK_FAULT: 'callback-500' } });
    expect(one.code).toBe(2);
    expect(one.stderr).toBe(
      "packgate stack: the stack's PACKGATE_STACK_* variables are not valid: PACKGATE_STACK_FAULT is not a variable " +
        'the stack reads: did you mean PACKGATE_STACK_FAULTS?\n',
    );
  });

  // Before: the first request after crashed the stack, 'Error: write EPIPE' and its trace on stderr.
  test('a stack whose output nobody reads any more (| head -1) serves on, without a word', async () => {
    const stack = await startStack();
    try {
      stack.child.stdout!.destroy();
      for (let i = 0; i < 3; i++) expect((await fetch(`${stack.appUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${stack.appUrl}/api/healthz`)).status).toBe(200);
      expect(stack.stderr()).toBe('');
    } finally {
      expect((await stack.stop()).code).toBe(0);
    }
  });

  test('a second stack on a taken port exits 1 naming the port and the env var that moves it', async () => {
    const first = await startStack();
    try {
      const appPort = Number(new URL(first.appUrl).port);
      const second = await runStackToExit({ appPort });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`port ${appPort} on 127.0.0.1 is already in use`);
      expect(second.stderr).toContain(first.appUrl);
      expect(second.stderr).toContain('PACKGATE_LOCAL_APP_URL=');
      expect(second.stderr).toMatch(/other faults or secrets/);
      // The first stack is untouched.
      expect((await fetch(`${first.appUrl}/__stack/ready`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  test('a taken api port exits 1 naming the API and PACKGATE_LOCAL_API_URL', async () => {
    const [apiPort] = await freePorts(1);
    const holder = net.createServer();
    await new Promise<void>(resolve => holder.listen(apiPort, '127.0.0.1', resolve));
    try {
      const result = await runStackToExit({ apiPort });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot start the API (platform proxy) at http://127.0.0.1:${apiPort}`);
      expect(result.stderr).toContain('PACKGATE_LOCAL_API_URL=http://127.0.0.1:<free-port>');
    } finally {
      await new Promise(resolve => holder.close(resolve));
    }
  });

  test('a catalogue fault the stack cannot inject stops the start with exit 2', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    project.edit(
      'stack/faults.yaml',
      text =>
        `${text}  - id: not-implemented-yet\n    pack: auth-session\n    description: a fault only the catalogue knows\n`,
    );
    const result = await runStackToExit({ cwd: project.dir, faults: 'not-implemented-yet' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot inject fault not-implemented-yet');
    expect(result.stderr).toContain('would let its pack pass for the wrong reason');
  });

  test('seed records the stack cannot load stop the start with exit 2, each problem located', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    project.edit('seeds/core.yaml', text =>
      text
        .replace('node: gpu-node-01, state: active, gpus: 1 }', 'node: gpu-node-99, state: active, gpus: 1 }')
        .replace('state: ended, gpus: 1 }', 'state: finished, gpus: 1 }'),
    );
    const result = await runStackToExit({ cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the seed records cannot be loaded by the reference stack');
    expect(result.stderr).toMatch(
      /seeds\/core\.yaml:\d+:\d+ records\.allocations\[0\]\.node: node "gpu-node-99" does not exist/,
    );
    expect(result.stderr).toMatch(/seeds\/core\.yaml:\d+:\d+ records\.allocations\[1\]\.state: /);
  });

  test('a broken pack does not stop the stack, which runs no pack; a broken environment does, located', async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    project.edit('packs/auth-session/pack.yaml', text => `${text}owner: [\n`);
    const stack = await startStack({ cwd: project.dir });
    expect((await stack.stop()).code).toBe(0);
    expect(stack.stdout()).toContain('packgate stack "local" ready');

    project.edit('environments/local.yaml', text => text.replace(/^stage: dev$/m, 'stage: nowhere'));
    const result = await runStackToExit({ cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/environments\/local\.yaml:5:\d+ stage: /);
  });

  test('an IdP that cannot start ends the stack, which has already said ready, with exit 1 and why', async ({}, testInfo) => {
    // The IdP loads while the stack already listens (stack/idp/lazy-idp.ts): its failure comes after
    // "ready", and must still end the stack rather than leave a gate waiting on an IdP that never answers.
    const project = await TempProject.create(testInfo);
    project.edit('stack/idp/idp.ts', text =>
      text.replace(
        /(export function createIdp\([^)]*\): RequestListener \{\n)/,
        "$1  throw new Error('no signing algorithm this IdP supports');\n",
      ),
    );
    const result = await runStackToExit({ cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('packgate stack "local" ready');
    expect(result.stderr).toContain('packgate stack "local": the IdP could not start: Error: no signing algorithm');
  });

  test('SIGTERM closes every server, open connections included, and exits 0 by itself', async ({ request }) => {
    const stack = await startStack();
    // Idle keep-alive connections (the request context pools them), and on each server a request
    // whose headers never finish: server.close() alone would wait for that one for minutes.
    // And an open terminal: an upgraded socket is no longer the HTTP server's to close.
    await request.get(`${stack.appUrl}/shell`, { maxRedirects: 0 });
    await request.get(`${stack.issuerUrl}/.well-known/openid-configuration`);
    const terminal = await TerminalClient.open(`${stack.appUrl.replace(/^http/, 'ws')}/terminals/alloc-ada-1/ws`, {
      cookie: await signIn(request, stack, 'ada'),
      origin: stack.appUrl,
    });
    const terminalClosed = new Promise(resolve => terminal.socket.once('close', resolve));
    const stalled = await Promise.all(
      [stack.appUrl, stack.apiUrl, stack.issuerUrl].map(url => openStalledRequest(new URL(url))),
    );
    // stop() sends SIGKILL after 5 s; exit code 0 means the stack closed everything and exited on its own.
    const { code } = await stack.stop();
    stalled.forEach(socket => socket.destroy());
    expect(code).toBe(0);
    await terminalClosed;
  });
});

// Before: the stack, in a process group of its own, heard nothing of a `packgate stack start` killed
// or hung up on (a closed terminal), and held the environment's ports until someone found it.
for (const signal of ['SIGKILL', 'SIGHUP'] as const)
  test(`packgate stack start ended by ${signal} takes its stack with it`, async () => {
    const stack = await spawnStack({ script: 'bin/packgate.js', args: ['stack', 'start', '--env', 'local'] });
    let started: StartedStack | undefined;
    try {
      await expect.poll(() => stack.stdout().includes(' ready: '), { timeout: 15_000 }).toBe(true);
      // Who started it is no setting: a run asking for this stack reuses it.
      const ready = `${stack.appUrl}/__stack/ready?fingerprint=${expectedFingerprint(stack)}`;
      expect((await fetch(ready)).status).toBe(200);
      started = stackStartedBy(stack.child.pid!);
      stack.child.kill(signal);
      await stack.exited;
      await expect
        .poll(() => alive(started!.pid), { message: 'the stack outlived its packgate stack start', timeout: 10_000 })
        .toBe(false);
      expect(stack.stderr()).toBe('');
    } finally {
      stopGroup(started?.group);
      stack.child.kill('SIGKILL');
    }
  });

// Before: Playwright starts the stack in a process group of its own and stops it on its way out; a
// run killed, or hung up on (a closed terminal), left the stack behind, until a request made it
// write its access log to the dead run's pipe and crash.
test('a gate run killed while its stack runs takes the stack with it', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const run = project.start([
    path.join(project.dir, 'node_modules/@playwright/test/cli.js'),
    'test',
    '--project=local-api',
  ]);
  let started: StartedStack | undefined;
  try {
    const ready = `${project.env.PACKGATE_LOCAL_APP_URL}/__stack/ready`;
    await expect
      .poll(
        () =>
          fetch(ready).then(
            r => r.ok,
            () => false,
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    started = stackStartedBy(run.child.pid!);
    run.child.kill('SIGKILL');
    await run.done;
    // Nothing asks the stack anything from here on: a request would end it another way.
    await expect
      .poll(() => alive(started!.pid), { message: 'the stack outlived its run', timeout: 10_000 })
      .toBe(false);
  } finally {
    stopGroup(started?.group);
    stopGroup(run.child.pid);
  }
});

/** The stack a process started through a shell: the shell (its process group) and the stack's own process. */
type StartedStack = { group: number; pid: number };

function stackStartedBy(owner: number): StartedStack {
  const children = (parent: number, ...filter: string[]) =>
    execFileSync('pgrep', ['-P', String(parent), ...filter], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
  const [group] = children(owner, '-f', 'stack/run.js');
  return { group, pid: children(group)[0] };
}

/** Whether a process is still there. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL to a process group, if it is still there: what a test left behind when it failed. */
function stopGroup(group: number | undefined): void {
  if (!group) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Gone, as it should be.
  }
}

/** A connection that sent half a request: busy, not idle, until the server gives up on it. */
function openStalledRequest(url: URL): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(`GET / HTTP/1.1\r\nHost: ${url.host}\r\n`);
      resolve(socket);
    });
    socket.on('error', error => (socket.connecting ? reject(error) : undefined));
  });
}
