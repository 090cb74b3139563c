import { expect, test, type APIRequestContext } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { stackFingerprint } from '../../src/environment/fingerprint.ts';
import { resolveEnvironment } from '../../src/environment/resolve.ts';
import { requestedFaults, stackSettings } from '../../src/faults/faults.ts';
import { implementedFaults } from '../../stack/fault-ids.ts';
import { authorizeUrl, hop, locationOf, openLoginForm, setCookies } from './oidc-flow.ts';
import { rawRequest, upgradeRequest } from './raw-http.ts';
import { PASSWORDS, signIn } from './session.ts';
import { ROOT, startStack, type RunningStack } from './start-stack.ts';
import { TerminalClient } from './terminal-client.ts';

/**
 * Each fault's effect at the HTTP and websocket level, and that it breaks only what it names: the
 * faults are grouped per stack start where they do not interfere, and each group also checks the
 * neighbouring behaviour its faults must leave alone.
 */

const CLIENT_ID = 'gpuaas-app';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

type Echo = { service: string; path: string; headers: Record<string, string | null> };

test('the fault catalogue and the implemented faults are the same set', () => {
  const catalogue = loadCatalogueOrThrow(ROOT);
  expect([...catalogue.faults.keys()].sort()).toEqual([...implementedFaults].sort());
  for (const { value } of catalogue.faults.values())
    expect(catalogue.packs.has(value.pack), `${value.id} names an existing pack`).toBe(true);
});

/** Starts a stack with the faults for the describe block around it; `stack()` is that stack. */
function withStack(faults: string[]): () => RunningStack {
  let stack: RunningStack;
  test.beforeAll(async () => {
    stack = await startStack({ faults: faults.join(',') });
    const catalogue = loadCatalogueOrThrow(ROOT);
    const fingerprint = stackFingerprint(
      resolveEnvironment(catalogue, 'local', stack.env),
      requestedFaults(catalogue, stack.env),
      stackSettings(stack.env),
    );
    const ready = await fetch(`${stack.appUrl}/__stack/ready?fingerprint=${fingerprint}`);
    expect(ready.status, 'the fault stack answers its own fingerprint').toBe(200);
    expect(((await ready.json()) as { faults: string[] }).faults).toEqual(faults);
  });
  test.afterAll(async () => {
    await stack?.stop();
  });
  return () => stack;
}

test.describe('faults a visitor sees without signing in', () => {
  const stack = withStack([
    'callback-unregistered',
    'traceparent-dropped',
    'correlation-not-logged',
    'api-health-503',
    'auth-health-down',
    'app-health-500',
    'proxy-drops-ws-upgrade',
    'notebook-rewrite-broken',
  ]);

  test('callback-unregistered: the IdP refuses the app callback it registered before', async ({ request }) => {
    const { appUrl, issuerUrl } = stack();
    const start = await hop(request, `${appUrl}/login`);
    expect(start.status()).toBe(302);
    const authorize = locationOf(start, appUrl);
    expect(authorize.searchParams.get('redirect_uri'), 'the app still sends its real callback').toBe(
      `${appUrl}/auth/callback`,
    );
    const refused = await hop(request, authorize.href);
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toMatch(
      /<div id="kc-error-message">[^]*Invalid parameter: redirect_uri[^]*invalid_redirect_uri/,
    );
    // Exactly the fault: the stale URI is what the IdP still has registered.
    const stale = await hop(
      request,
      authorizeUrl(issuerUrl, { clientId: CLIENT_ID, redirectUri: `${appUrl}/oauth2/callback` }),
    );
    expect([302, 303]).toContain(stale.status());
  });

  test('traceparent-dropped: no traceparent upstream, no traceresponse; correlation ids untouched', async ({
    request,
  }) => {
    const response = await request.get(`${stack().appUrl}/api/__echo`, {
      headers: { traceparent: `00-${TRACE}-${PARENT}-01`, 'x-correlation-id': 'pg-dropped-1' },
    });
    const echo = (await response.json()) as Echo;
    expect(echo.headers.traceparent).toBeNull();
    expect(response.headers()['traceresponse']).toBeUndefined();
    expect(echo.headers['x-correlation-id']).toBe('pg-dropped-1');
    expect(response.headers()['x-correlation-id']).toBe('pg-dropped-1');
    const fresh = (await (await request.get(`${stack().appUrl}/__echo`)).json()) as Echo;
    expect(fresh.headers.traceparent, 'nor is a new trace started').toBeNull();
  });

  test('correlation-not-logged: access-log lines carry no correlation id; responses still do', async ({ request }) => {
    const marker = `/api/v1/pg-marker-${Date.now()}`;
    const response = await request.get(`${stack().appUrl}${marker}`, {
      headers: { 'x-correlation-id': 'pg-unlogged-1' },
    });
    expect(response.headers()['x-correlation-id']).toBe('pg-unlogged-1');
    const byId = await request.get(`${stack().appUrl}/__stack/access-log?correlation_id=pg-unlogged-1`);
    expect((await byId.json()).lines).toEqual([]);
    const all = (await (await request.get(`${stack().appUrl}/__stack/access-log`)).json()).lines as Array<
      Record<string, unknown>
    >;
    const line = all.find(l => l.path === marker);
    expect(line, 'the request is still logged').toMatchObject({ route: 'app-api', status: 401 });
    expect(all.filter(l => 'correlationId' in l)).toEqual([]);
  });

  test('api-health-503, app-health-500, auth-health-down: exactly those health answers break', async ({ request }) => {
    const { appUrl, apiUrl, issuerUrl } = stack();
    expect((await request.get(`${appUrl}/api/healthz`)).status()).toBe(503);
    expect((await request.get(`${apiUrl}/healthz`)).status()).toBe(503);
    expect((await request.get(`${appUrl}/healthz`)).status()).toBe(500);
    expect((await request.get(`${appUrl}/terminals/healthz`)).status(), 'terminal untouched').toBe(200);
    const idpReady = await request.get(`${new URL(issuerUrl).origin}/health/ready`);
    expect(idpReady.status()).toBe(503);
    expect(await idpReady.json()).toEqual({ status: 'DOWN' });
    const discovery = await request.get(`${issuerUrl}/.well-known/openid-configuration`);
    expect(discovery.status(), 'the IdP itself still answers').toBe(200);
    expect((await request.get(`${apiUrl}/v1/me`)).status(), 'the api still answers').toBe(401);
  });

  test('proxy-drops-ws-upgrade: upgrades are answered 502 by the proxy; plain HTTP still routes', async ({
    request,
  }) => {
    const { appUrl } = stack();
    const answer = await upgradeRequest(`${appUrl}/terminals/alloc-ada-1/ws`, {
      origin: new URL(appUrl).origin,
      headers: { 'x-correlation-id': 'pg-dropped-ws-1' },
    });
    expect(answer.status).toBe(502);
    expect(answer.headers['x-served-by']).toBe('proxy');
    expect((await request.get(`${appUrl}/terminals/healthz`)).status()).toBe(200);
    expect((await (await request.get(`${appUrl}/__stack/access-log?route=terminals`)).json()).lines).toContainEqual(
      expect.objectContaining({ path: '/terminals/alloc-ada-1/ws', status: 502, upstream: 'proxy' }),
    );
  });

  test('notebook-rewrite-broken: notebook paths arrive with the /notebooks prefix and 404', async ({ request }) => {
    const { appUrl } = stack();
    const echo = await request.get(`${appUrl}/notebooks/__echo`);
    expect(echo.status()).toBe(404);
    expect(echo.headers()['x-served-by']).toBe('notebook');
    expect((await request.get(`${appUrl}/notebooks/nb-ada-vision/lab`)).status()).toBe(404);
    const api = (await (await request.get(`${appUrl}/api/__echo`)).json()) as Echo;
    expect(api.path, 'the api route still strips its prefix').toBe('/__echo');
  });
});

test.describe('faults a signed-in user sees', () => {
  const stack = withStack([
    'tenant-switch-ignored',
    'mode-nav-broken',
    'launch-stuck-pending',
    'notebook-open-to-all',
    'terminal-no-session-check',
    'terminal-origin-unchecked',
    'node-readiness-missing',
    'node-blockers-hidden',
    'nodes-not-operator-only',
    'traceparent-passthrough',
  ]);
  let ada: APIRequestContext;
  let grace: APIRequestContext;
  let adaCookie: string;

  test.beforeAll(async ({ playwright }) => {
    [ada, grace] = await Promise.all([1, 2].map(() => playwright.request.newContext()));
    adaCookie = await signIn(ada, stack(), 'ada');
    await signIn(grace, stack(), 'grace');
  });

  test.afterAll(async () => {
    await Promise.all([ada, grace].map(c => c?.dispose()));
  });

  test('tenant-switch-ignored: the switch answers success and keeps the old context', async () => {
    const { apiUrl, appUrl } = stack();
    const put = await ada.put(`${apiUrl}/v1/context`, { data: { tenant: 'globex', project: 'globex-robotics' } });
    expect(put.status()).toBe(200);
    expect((await put.json()).project.id, 'the answer claims the switch').toBe('globex-robotics');
    expect((await (await ada.get(`${apiUrl}/v1/context`)).json()).project.id).toBe('acme-vision');

    const form = await ada.post(`${appUrl}/shell/context`, {
      form: { tenant: 'acme', project: 'acme-nlp' },
      maxRedirects: 0,
    });
    expect(form.status()).toBe(303);
    expect(await (await ada.get(`${appUrl}/shell`)).text()).toContain('data-project-id="acme-vision"');
    const refused = await grace.put(`${apiUrl}/v1/context`, { data: { tenant: 'globex', project: 'globex-robotics' } });
    expect(refused.status(), 'membership is still checked').toBe(403);
  });

  test('mode-nav-broken: the Workloads link points at a path that 404s', async () => {
    const { appUrl } = stack();
    const page = await (await ada.get(`${appUrl}/shell`)).text();
    const href = /<a href="([^"]+)" data-testid="nav-workloads"/.exec(page)?.[1];
    expect(href).toBeDefined();
    expect(href).not.toBe('/shell/workloads');
    expect((await ada.get(`${appUrl}${href}`)).status()).toBe(404);
    expect((await ada.get(`${appUrl}/shell/workloads`)).status(), 'the page itself still exists').toBe(200);
    expect(page, 'the other links are intact').toContain('<a href="/shell/apps" data-testid="nav-apps">');
  });

  test('launch-stuck-pending: workloads never leave pending', async () => {
    const { apiUrl } = stack();
    const ids: string[] = [];
    for (const app of ['jupyterlab', 'vllm-serve']) {
      const created = await ada.post(`${apiUrl}/v1/workloads`, { data: { app } });
      expect(created.status()).toBe(201);
      ids.push((await created.json()).id);
    }
    // Four lifecycle steps' worth: a healthy stack has moved both by now.
    await new Promise(resolve => setTimeout(resolve, 1000));
    for (const id of ids)
      expect(await (await ada.get(`${apiUrl}/v1/workloads/${id}`)).json()).toMatchObject({
        state: 'pending',
        history: ['pending'],
        reason: '',
      });
  });

  test("notebook-open-to-all: any signed-in user opens another's notebook; strangers still cannot", async ({
    request,
  }) => {
    const { appUrl } = stack();
    const foreign = await grace.get(`${appUrl}/notebooks/nb-ada-vision/lab`);
    expect(foreign.status()).toBe(200);
    expect(await foreign.text()).toContain('<dd data-testid="notebook-owner">ada</dd>');
    expect((await request.get(`${appUrl}/notebooks/nb-ada-vision/lab`)).status()).toBe(401);
  });

  test('terminal-no-session-check and terminal-origin-unchecked: upgrades accepted without either', async () => {
    const { appUrl } = stack();
    const origin = new URL(appUrl).origin;
    const url = `${appUrl.replace(/^http/, 'ws')}/terminals/alloc-ada-1/ws`;
    const anonymous = await TerminalClient.open(url, { origin });
    try {
      expect(await anonymous.next()).toMatchObject({ type: 'ready', allocation: 'alloc-ada-1' });
    } finally {
      anonymous.close();
    }
    const crossSite = await TerminalClient.open(url, { cookie: adaCookie, origin: 'http://evil.example' });
    try {
      expect(await crossSite.next()).toMatchObject({ type: 'ready' });
      expect(await crossSite.run('hostname')).toEqual({ type: 'output', data: 'gpu-node-01\n' });
    } finally {
      crossSite.close();
    }
    const ended = await upgradeRequest(`${appUrl}/terminals/alloc-ada-2/ws`, { origin });
    expect(ended.status, 'an ended allocation is still refused').toBe(409);
  });

  test('node-readiness-missing, node-blockers-hidden, nodes-not-operator-only: the inventory as broken', async () => {
    const { apiUrl, appUrl } = stack();
    const member = await grace.get(`${apiUrl}/v1/nodes`);
    expect(member.status(), 'a member reads the nodes API').toBe(200);
    const { nodes } = await member.json();
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node, node.id).not.toHaveProperty('ready');
      expect(node.blockers, node.id).toEqual([]);
      expect(node.tasks.length, 'tasks are still reported').toBe(1);
    }
    const page = await grace.get(`${appUrl}/shell/nodes`);
    expect(page.status(), 'and the nodes page').toBe(200);
    const html = await page.text();
    expect(html.match(/<td data-testid="node-readiness">Unknown<\/td>/g)).toHaveLength(3);
    expect(html.match(/<span data-testid="node-blockers">none<\/span>/g)).toHaveLength(3);
  });

  test('traceparent-passthrough: the caller traceparent goes upstream unchanged, malformed included', async () => {
    const { appUrl } = stack();
    for (const traceparent of [`00-${TRACE}-${PARENT}-01`, 'not-a-traceparent', `00-${'0'.repeat(32)}-${PARENT}-01`]) {
      const response = await ada.get(`${appUrl}/api/__echo`, { headers: { traceparent, tracestate: 'a=1' } });
      const echo = (await response.json()) as Echo;
      expect(echo.headers.traceparent, traceparent).toBe(traceparent);
      expect(echo.headers.tracestate).toBe('a=1');
      expect(response.headers()['traceresponse']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
  });
});

test.describe('faults in the context and launch a signed-in user sees', () => {
  const stack = withStack(['context-lost-on-reload', 'launch-api-500']);
  let ada: APIRequestContext;

  test.beforeAll(async ({ playwright }) => {
    ada = await playwright.request.newContext();
    await signIn(ada, stack(), 'ada');
  });

  test.afterAll(async () => {
    await ada?.dispose();
  });

  test('context-lost-on-reload: the switched context is shown once, then the default is back', async () => {
    const { apiUrl, appUrl } = stack();
    const put = await ada.put(`${apiUrl}/v1/context`, { data: { tenant: 'globex', project: 'globex-robotics' } });
    expect(put.status()).toBe(200);
    expect((await (await ada.get(`${apiUrl}/v1/context`)).json()).project.id, 'shown once').toBe('globex-robotics');
    expect((await (await ada.get(`${apiUrl}/v1/context`)).json()).project.id, 'then lost').toBe('acme-vision');

    const switched = await ada.post(`${appUrl}/shell/context`, {
      form: { tenant: 'acme', project: 'acme-nlp' },
      headers: { referer: `${appUrl}/shell/apps` },
      maxRedirects: 0,
    });
    expect(switched.status()).toBe(303);
    expect(await (await ada.get(`${appUrl}/shell/apps`)).text()).toContain('data-project-id="acme-nlp"');
    expect(await (await ada.get(`${appUrl}/shell/apps`)).text(), 'after a reload').toContain(
      'data-project-id="acme-vision"',
    );
  });

  test('launch-api-500: creating a workload answers 500 on the API and the form; nothing is created', async () => {
    const { apiUrl, appUrl } = stack();
    const created = await ada.post(`${apiUrl}/v1/workloads`, { data: { app: 'jupyterlab' } });
    expect(created.status()).toBe(500);
    expect(await created.json()).toEqual({ error: 'internal', message: expect.any(String) });
    const form = await ada.post(`${appUrl}/shell/apps/jupyterlab/launch`, {
      form: { project: 'acme-vision' },
      maxRedirects: 0,
    });
    expect(form.status()).toBe(500);
    expect(await form.text()).toContain('data-testid="form-error"');
    expect(await (await ada.get(`${apiUrl}/v1/workloads`)).json()).toEqual({ workloads: [] });
    expect((await ada.get(`${apiUrl}/v1/apps`)).status(), 'the rest of the API works').toBe(200);
  });
});

test.describe('faults that break a refusal a pack declares', () => {
  const stack = withStack([
    'session-survives-logout',
    'context-form-origin-unchecked',
    'launch-membership-unchecked',
    'notebook-lab-owner-unchecked',
    'terminal-ended-allocation-open',
    'nodes-page-not-operator-only',
    'proxy-routes-any-host',
    'api-anonymous-bypass',
  ]);
  let ada: APIRequestContext;
  let grace: APIRequestContext;
  let adaCookie: string;

  test.beforeAll(async ({ playwright }) => {
    [ada, grace] = await Promise.all([1, 2].map(() => playwright.request.newContext()));
    adaCookie = await signIn(ada, stack(), 'ada');
    await signIn(grace, stack(), 'grace');
  });

  test.afterAll(async () => {
    await Promise.all([ada, grace].map(c => c?.dispose()));
  });

  test('session-survives-logout: the signed-out cookie still opens the API', async ({ playwright }) => {
    const { apiUrl, appUrl } = stack();
    const own = await playwright.request.newContext();
    try {
      const cookie = await signIn(own, stack(), 'ada');
      expect((await own.get(`${appUrl}/logout`)).status()).toBe(200);
      const kept = await playwright.request.newContext({ extraHTTPHeaders: { cookie: `gpuaas_session=${cookie}` } });
      expect((await kept.get(`${apiUrl}/v1/me`)).status(), 'the session lives on').toBe(200);
      await kept.dispose();
    } finally {
      await own.dispose();
    }
  });

  test('context-form-origin-unchecked: a forged context switch goes through; a forged launch does not', async () => {
    const { apiUrl, appUrl } = stack();
    const forged = await ada.post(`${appUrl}/shell/context`, {
      form: { tenant: 'globex', project: 'globex-robotics' },
      headers: { origin: 'http://evil.example' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(303);
    expect((await (await ada.get(`${apiUrl}/v1/context`)).json()).project.id).toBe('globex-robotics');
    const launch = await ada.post(`${appUrl}/shell/apps/jupyterlab/launch`, {
      form: { project: 'globex-robotics' },
      headers: { origin: 'http://evil.example' },
      maxRedirects: 0,
    });
    expect(launch.status(), 'the launch form keeps its Origin check').toBe(403);
  });

  test('launch-membership-unchecked: the API launches into a foreign project; the form still refuses', async () => {
    const { apiUrl, appUrl } = stack();
    const created = await grace.post(`${apiUrl}/v1/workloads`, {
      data: { app: 'jupyterlab', project: 'globex-robotics' },
    });
    expect(created.status()).toBe(201);
    expect(await created.json()).toMatchObject({ project: 'globex-robotics', user: 'grace' });
    const form = await grace.post(`${appUrl}/shell/apps/jupyterlab/launch`, {
      form: { project: 'globex-robotics' },
      maxRedirects: 0,
    });
    expect(form.status()).toBe(403);
    const full = await grace.post(`${apiUrl}/v1/workloads`, { data: { app: 'jupyterlab', project: 'acme-batch' } });
    expect(full.status(), 'the quota check stays').toBe(409);
  });

  test("notebook-lab-owner-unchecked: another's lab page renders; its status API still refuses", async () => {
    const { appUrl } = stack();
    const lab = await grace.get(`${appUrl}/notebooks/nb-ada-vision/lab`);
    expect(lab.status()).toBe(200);
    expect(await lab.text()).toContain('Vision experiments');
    expect((await grace.get(`${appUrl}/notebooks/nb-ada-vision/api/status`)).status()).toBe(403);
  });

  test('terminal-ended-allocation-open: an ended allocation opens; Origin and owner are still checked', async () => {
    const { appUrl } = stack();
    const origin = new URL(appUrl).origin;
    const ended = await TerminalClient.open(`${appUrl.replace(/^http/, 'ws')}/terminals/alloc-ada-2/ws`, {
      cookie: adaCookie,
      origin,
    });
    try {
      expect(await ended.next()).toMatchObject({ type: 'ready', allocation: 'alloc-ada-2' });
    } finally {
      ended.close();
    }
    const foreign = await upgradeRequest(`${appUrl}/terminals/alloc-grace-1/ws`, {
      origin,
      cookie: `gpuaas_session=${adaCookie}`,
    });
    expect(foreign.status, "another user's allocation").toBe(403);
  });

  test('nodes-page-not-operator-only: a member sees the nodes page; the API still refuses', async () => {
    const { apiUrl, appUrl } = stack();
    const page = await grace.get(`${appUrl}/shell/nodes`);
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain('gpu-node-02');
    expect((await grace.get(`${apiUrl}/v1/nodes`)).status()).toBe(403);
  });

  test('proxy-routes-any-host: a host the proxy does not serve reaches the app', async () => {
    const { appUrl } = stack();
    const response = await rawRequest(`${appUrl}/__echo`, { headers: { host: 'unknown.example' } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ service: 'app' });
  });

  test('api-anonymous-bypass: no cookie is served as the first user; a bad cookie is still 401', async ({
    request,
  }) => {
    const { apiUrl } = stack();
    const anonymous = await request.get(`${apiUrl}/v1/me`);
    expect(anonymous.status()).toBe(200);
    expect(await anonymous.json()).toMatchObject({ id: 'ada' });
    const stale = await request.get(`${apiUrl}/v1/me`, { headers: { cookie: 'gpuaas_session=not-a-session' } });
    expect(stale.status()).toBe(401);
  });
});

test.describe('wrong-redirect-uri', () => {
  const stack = withStack(['wrong-redirect-uri']);

  test('the app sends /oauth2/callback, which the IdP refuses; the registered callback still works', async ({
    request,
  }) => {
    const { appUrl, issuerUrl } = stack();
    const start = await hop(request, `${appUrl}/login`);
    const authorize = locationOf(start, appUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${appUrl}/oauth2/callback`);
    const refused = await hop(request, authorize.href);
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain('invalid_redirect_uri');
    const registered = await hop(
      request,
      authorizeUrl(issuerUrl, { clientId: CLIENT_ID, redirectUri: `${appUrl}/auth/callback` }),
    );
    expect([302, 303]).toContain(registered.status());
  });
});

/** Signs in up to the app's callback and returns its answer (the step these faults break). */
async function callbackAnswer(request: APIRequestContext, stack: RunningStack) {
  const { action } = await openLoginForm(request, stack.appUrl);
  const submitted = await hop(request, action.href, { form: { username: 'ada', password: PASSWORDS.ada } });
  const resumed = await hop(request, locationOf(submitted, action.href).href);
  const callbackUrl = locationOf(resumed, action.href);
  expect(callbackUrl.pathname, 'the IdP sends the browser back to the callback').toBe('/auth/callback');
  return hop(request, callbackUrl.href);
}

test.describe('callback-500', () => {
  const stack = withStack(['callback-500']);

  test('the callback answers 500 after the code exchange and sets no session', async ({ request }) => {
    const callback = await callbackAnswer(request, stack());
    expect(callback.status()).toBe(500);
    expect(setCookies(callback).filter(c => c.startsWith('gpuaas_session='))).toEqual([]);
    expect((await hop(request, `${stack().appUrl}/shell`)).status(), 'no session').toBe(302);
    const stats = (await rawRequest(`${stack().appUrl}/__stack/stats`)).body;
    expect(JSON.parse(stats).interactiveLogins.total, 'the sign-in at the IdP itself succeeded').toBe(1);
  });
});

test.describe('session-cookie-missing', () => {
  const stack = withStack(['session-cookie-missing']);

  test('the callback redirects to the shell without a session cookie, and the shell sends back to sign in', async ({
    request,
  }) => {
    const callback = await callbackAnswer(request, stack());
    expect(callback.status()).toBe(302);
    expect(locationOf(callback, stack().appUrl).pathname).toBe('/shell');
    expect(setCookies(callback).filter(c => c.startsWith('gpuaas_session='))).toEqual([]);
    const shell = await hop(request, `${stack().appUrl}/shell`);
    expect(shell.status()).toBe(302);
    expect(locationOf(shell, stack().appUrl).pathname).toBe('/login');
  });
});
