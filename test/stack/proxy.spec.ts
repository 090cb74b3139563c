import http from 'node:http';
import { expect, test, type APIResponse } from '@playwright/test';
import { FaultSet } from '../../stack/fault-ids.ts';
import { closeNow, listen } from '../../stack/http/listen.ts';
import { accessLogAnswerSchema, accessLogLineSchema, type AccessLogLine } from '../../src/schema/access-log.ts';
import { AccessLog } from '../../stack/proxy/access-log.ts';
import { HostTable } from '../../stack/proxy/routes.ts';
import { createPlatformProxy } from '../../stack/proxy/server.ts';
import { freePorts } from '../helpers/ports.ts';
import { TempProject } from '../helpers/temp-project.ts';
import { hangUp, rawRequest, upgradeRequest } from './raw-http.ts';
import { signIn } from './session.ts';
import { startStack, type RunningStack } from './start-stack.ts';
import { TerminalClient } from './terminal-client.ts';

/**
 * The platform proxy over real HTTP: each route reaches its service (seen through the services'
 * /__echo), host routing, correlation ids, W3C trace context, forwarding headers and the access log.
 */

type Echo = {
  service: string;
  method: string;
  path: string;
  headers: Record<string, string | null>;
};

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

let stack: RunningStack;

test.beforeAll(async () => {
  stack = await startStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

async function echoOf(response: APIResponse): Promise<Echo> {
  expect(response.status(), `${response.url()} answers its echo`).toBe(200);
  return (await response.json()) as Echo;
}

/** The stack's access log, held to the one line shape fixtures read (src/schema/access-log.ts). */
async function accessLog(query: Record<string, string>, appUrl = stack.appUrl): Promise<AccessLogLine[]> {
  const response = await fetch(`${appUrl}/__stack/access-log?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return accessLogAnswerSchema.parse(await response.json()).lines;
}

test('every route reaches its service, with the prefix stripped where the table says', async ({ request }) => {
  const routes = [
    { url: `${stack.appUrl}/__echo`, route: 'app', service: 'app', path: '/__echo' },
    { url: `${stack.appUrl}/api/__echo`, route: 'app-api', service: 'api', path: '/__echo' },
    { url: `${stack.apiUrl}/__echo`, route: 'api-host', service: 'api', path: '/__echo' },
    { url: `${stack.appUrl}/notebooks/__echo`, route: 'notebooks', service: 'notebook', path: '/__echo' },
    { url: `${stack.appUrl}/terminals/__echo`, route: 'terminals', service: 'terminal', path: '/__echo' },
  ];
  for (const [i, { url, route, service, path }] of routes.entries()) {
    const correlationId = `pg-route-${i}-${Date.now()}`;
    const response = await request.get(`${url}?q=secret-${i}`, { headers: { 'x-correlation-id': correlationId } });
    const echo = await echoOf(response);
    expect(response.headers()['x-served-by'], url).toBe(service);
    expect(echo, url).toMatchObject({ service, method: 'GET', path });
    const [line] = await accessLog({ correlation_id: correlationId });
    expect(line, url).toMatchObject({
      service: 'proxy',
      route,
      upstream: service,
      method: 'GET',
      host: new URL(url).host,
      path: new URL(url).pathname,
      status: 200,
      correlationId,
    });
    expect(line.path, 'the logged path has no query').not.toContain('?');
  }
});

test('every service answers /healthz through the proxy', async ({ request }) => {
  for (const [url, service] of [
    [`${stack.appUrl}/healthz`, 'app'],
    [`${stack.appUrl}/api/healthz`, 'api'],
    [`${stack.apiUrl}/healthz`, 'api'],
    [`${stack.appUrl}/notebooks/healthz`, 'notebook'],
    [`${stack.appUrl}/terminals/healthz`, 'terminal'],
  ]) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
    expect(await response.json(), url).toEqual({ status: 'ok', service });
  }
});

test('routing is by Host: the api host on the app port reaches the api, an unknown host gets 421', async () => {
  const appPort = new URL(stack.appUrl).port;
  const apiHost = new URL(stack.apiUrl).host;
  const viaHost = await rawRequest(`http://127.0.0.1:${appPort}/__echo`, { host: apiHost });
  expect(viaHost.status).toBe(200);
  expect(JSON.parse(viaHost.body)).toMatchObject({ service: 'api', path: '/__echo' });

  // /api/ is a prefix on the app host only: on the api host the path reaches the api unchanged,
  // which is no echo there (the api answers a path it does not know with 401 to a stranger).
  const noStrip = await rawRequest(`${stack.apiUrl}/api/__echo`);
  expect(noStrip.status, 'the api has no /api/__echo').toBe(401);
  expect(noStrip.headers['x-served-by']).toBe('api');

  const unknown = await rawRequest(`${stack.appUrl}/healthz`, { host: 'elsewhere.example:80' });
  expect(unknown.status).toBe(421);
  const body = JSON.parse(unknown.body);
  expect(body.error).toBe('misdirected_request');
  expect(body.hosts).toEqual([new URL(stack.appUrl).host, apiHost]);
  expect(unknown.headers['x-served-by']).toBe('proxy');
});

test('paths that only look like a route prefix go to the app', async ({ request }) => {
  for (const path of ['/api', '/notebooks', '/terminalsx/healthz']) {
    const response = await request.get(`${stack.appUrl}${path}`, { maxRedirects: 0 });
    expect(response.headers()['x-served-by'], path).toBe('app');
  }
});

test('a sane caller correlation id is kept end to end; anything else is replaced', async ({ request }) => {
  const kept = await request.get(`${stack.appUrl}/api/__echo`, { headers: { 'x-correlation-id': 'pg-kept-1' } });
  expect(kept.headers()['x-correlation-id']).toBe('pg-kept-1');
  expect((await echoOf(kept)).headers['x-correlation-id']).toBe('pg-kept-1');

  for (const bad of ['has spaces', 'x'.repeat(129), '-leading-dash', 'semi;colon']) {
    const replaced = await request.get(`${stack.appUrl}/api/__echo`, { headers: { 'x-correlation-id': bad } });
    const id = replaced.headers()['x-correlation-id'];
    expect(id, bad).toMatch(/^[0-9a-f-]{36}$/);
    expect((await echoOf(replaced)).headers['x-correlation-id'], 'upstream gets the replacement').toBe(id);
  }
  const minted = await request.get(`${stack.appUrl}/api/__echo`);
  expect(minted.headers()['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('a valid traceparent is continued: same trace, a new proxy span, flags and tracestate kept', async ({
  request,
}) => {
  const response = await request.get(`${stack.appUrl}/api/__echo`, {
    headers: { traceparent: `00-${TRACE}-${PARENT}-00`, tracestate: 'vendor=opaque,other=1' },
  });
  const echo = await echoOf(response);
  const upstream = echo.headers.traceparent!;
  expect(upstream).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
  const proxySpan = upstream.split('-')[2];
  expect(proxySpan, 'the proxy is a hop: it sends its own span id').not.toBe(PARENT);
  expect(echo.headers.tracestate).toBe('vendor=opaque,other=1');
  expect(response.headers()['traceresponse']).toBe(upstream);

  const [line] = await accessLog({ correlation_id: response.headers()['x-correlation-id'] });
  expect(line).toMatchObject({ traceId: TRACE, spanId: proxySpan });
  expect(await accessLog({ trace_id: TRACE })).toContainEqual(expect.objectContaining({ spanId: proxySpan }));
});

test('a future version is continued by its first four fields and answered as version 00', async ({ request }) => {
  const response = await request.get(`${stack.appUrl}/__echo`, {
    headers: { traceparent: `01-${TRACE}-${PARENT}-01-future-field`, tracestate: 'a=1' },
  });
  const echo = await echoOf(response);
  expect(echo.headers.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
  expect(echo.headers.tracestate).toBe('a=1');
});

test('a malformed or absent traceparent starts a new sampled trace and drops tracestate', async ({ request }) => {
  const malformed = [
    `00-${'0'.repeat(32)}-${PARENT}-01`,
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    `00-${TRACE.toUpperCase()}-${PARENT}-01`,
    `ff-${TRACE}-${PARENT}-01`,
    `00-${TRACE.slice(2)}-${PARENT}-01`,
    `00-${TRACE}-${PARENT}-01-extra`,
  ];
  for (const traceparent of [...malformed, undefined]) {
    const response = await request.get(`${stack.appUrl}/api/__echo`, {
      headers: { ...(traceparent ? { traceparent } : {}), tracestate: 'vendor=stale' },
    });
    const echo = await echoOf(response);
    const upstream = echo.headers.traceparent!;
    expect(upstream, String(traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(upstream.split('-')[1], 'a new trace id').not.toBe(TRACE);
    expect(echo.headers.tracestate, 'the stale tracestate is dropped').toBeNull();
    expect(response.headers()['traceresponse']).toBe(upstream);
  }
  const first = await echoOf(await request.get(`${stack.appUrl}/__echo`));
  const second = await echoOf(await request.get(`${stack.appUrl}/__echo`));
  expect(first.headers.traceparent!.split('-')[1], 'every new trace is its own').not.toBe(
    second.headers.traceparent!.split('-')[1],
  );
});

test('forwarding headers are set by the proxy, whatever the caller sent', async ({ request }) => {
  const echo = await echoOf(
    await request.get(`${stack.appUrl}/notebooks/__echo`, {
      headers: { 'x-forwarded-host': 'spoofed.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '6.6.6.6' },
    }),
  );
  expect(echo.headers).toMatchObject({
    'x-forwarded-host': new URL(stack.appUrl).host,
    'x-forwarded-proto': 'http',
    'x-forwarded-for': '127.0.0.1',
  });
});

test('the access log filters by correlation id, trace id and route, newest last, and honours limit', async ({
  request,
}) => {
  const id = `pg-log-${Date.now()}`;
  for (const path of ['/healthz', '/api/healthz', '/notebooks/healthz'])
    await request.get(`${stack.appUrl}${path}`, { headers: { 'x-correlation-id': id } });
  const lines = await accessLog({ correlation_id: id });
  expect(lines.map(l => l.route)).toEqual(['app', 'app-api', 'notebooks']);
  expect(lines.map(l => l.path)).toEqual(['/healthz', '/api/healthz', '/notebooks/healthz']);
  for (const line of lines) {
    expect(line.ts).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(line.ms).toEqual(expect.any(Number));
    expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
  }
  expect(await accessLog({ correlation_id: id, route: 'app-api' })).toEqual([lines[1]]);
  expect(await accessLog({ correlation_id: id, limit: '2' }), 'the newest two').toEqual(lines.slice(1));
  expect(await accessLog({ trace_id: lines[2].traceId })).toEqual([lines[2]]);

  const bad = await request.get(`${stack.appUrl}/__stack/access-log?limit=lots`);
  expect(bad.status()).toBe(400);

  // The same lines went to stdout, the server log a gate collects (read as the pipe delivers it).
  const stdoutLines = () =>
    stack
      .stdout()
      .split('\n')
      .filter(l => l.startsWith('{') && l.includes(id))
      .map(l => JSON.parse(l) as { service: string })
      .filter(l => l.service === 'proxy')
      .map(l => accessLogLineSchema.parse(l));
  await expect.poll(stdoutLines).toEqual(lines);
});

test('the control endpoints are answered by the proxy on the app host only', async ({ request }) => {
  const ready = await request.get(`${stack.appUrl}/__stack/ready`);
  expect(ready.status()).toBe(200);
  expect(ready.headers()['x-served-by']).toBe('proxy');
  expect((await request.get(`${stack.appUrl}/__stack/stats`)).headers()['x-served-by']).toBe('proxy');
  const onApi = await request.get(`${stack.apiUrl}/__stack/ready`);
  expect(onApi.status(), 'the api host has no control endpoints').toBe(401);
  expect(onApi.headers()['x-served-by']).toBe('api');
});

test('the correlation header is the environment first correlation_headers entry', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/local.yaml', text => `${text}correlation_headers: [x-request-id, x-correlation-id]\n`);
  const renamed = await startStack({ cwd: project.dir });
  try {
    const response = await fetch(`${renamed.appUrl}/api/__echo`, { headers: { 'x-request-id': 'pg-renamed-1' } });
    expect(response.headers.get('x-request-id')).toBe('pg-renamed-1');
    expect(response.headers.get('x-correlation-id')).toBeNull();
    const echo = (await response.json()) as Echo;
    expect(echo.headers['x-request-id']).toBe('pg-renamed-1');
    expect(await accessLog({ correlation_id: 'pg-renamed-1' }, renamed.appUrl)).toHaveLength(1);
  } finally {
    await renamed.stop();
  }
});

/**
 * What the stack writes on stderr from now on, read once hang-ups had time to reach it: a reset is
 * noticed on the server's next read or write, a few milliseconds later, and nothing marks that moment.
 */
function stderrFromNow(): () => Promise<string> {
  const from = stack.stderr().length;
  return async () => {
    await new Promise(resolve => setTimeout(resolve, 1000));
    return stack.stderr().slice(from);
  };
}

test('a client that hangs up mid-request or mid-response leaves nothing on the stack stderr', async ({
  playwright,
}) => {
  const request = await playwright.request.newContext();
  const cookie = `gpuaas_session=${await signIn(request, stack, 'ada')}`;
  await request.dispose();
  const form = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
  const stderr = stderrFromNow();

  await hangUp(`${stack.appUrl}/shell`, { headers: { cookie } });
  await hangUp(`${stack.appUrl}/api/v1/me`, { headers: { cookie } });
  // Bodies cut short: the app reading a form, the api a JSON body (both through the proxy), and the
  // IdP's token endpoint (no proxy in front of it).
  await hangUp(`${stack.appUrl}/shell/context`, { method: 'POST', headers: form, partialBody: 'tenant=acme&project=' });
  await hangUp(`${stack.appUrl}/api/v1/workloads`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    partialBody: '{"app": "jupyterlab", ',
  });
  await hangUp(`${stack.issuerUrl}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    partialBody: 'grant_type=authorization_code&code=',
  });

  expect(await stderr(), 'what the stack wrote on stderr').toBe('');
  expect((await fetch(`${stack.appUrl}/api/v1/me`, { headers: { cookie } })).status, 'the session lives on').toBe(200);
});

test('a client that drops a websocket mid-conversation leaves nothing on the stack stderr', async ({ playwright }) => {
  const request = await playwright.request.newContext();
  const cookie = await signIn(request, stack, 'ada');
  await request.dispose();
  const url = `${stack.appUrl.replace(/^http/, 'ws')}/terminals/alloc-ada-1/ws`;
  const origin = new URL(stack.appUrl).origin;
  const stderr = stderrFromNow();

  // Answers still on their way when the socket goes: the proxy then writes to a closed connection.
  for (let round = 0; round < 2; round++) {
    const terminal = await TerminalClient.open(url, { cookie, origin });
    for (let line = 0; line < 200; line++)
      terminal.socket.send(JSON.stringify({ type: 'input', data: `echo ${line}` }));
    terminal.socket.terminate();
  }

  expect(await stderr(), 'what the stack wrote on stderr').toBe('');
  const terminal = await TerminalClient.open(url, { cookie, origin });
  expect(await terminal.next(), 'the terminal still answers').toMatchObject({ type: 'ready' });
  terminal.close();
});

test('an upstream that is down is answered 502 and logged in one line naming the route and the service', async () => {
  // The proxy alone, in this process, in front of a port nothing listens on: the stack's own
  // services cannot be taken down from outside it.
  const [proxyPort, downPort] = await freePorts(2);
  const down = `http://127.0.0.1:${downPort}`;
  const proxy = createPlatformProxy({
    hosts: new HostTable({ app: `http://127.0.0.1:${proxyPort}` }),
    scheme: 'http',
    upstreams: { app: down, api: down, notebook: down, terminal: down, idp: down },
    correlationHeader: 'x-correlation-id',
    faults: new FaultSet([]),
    accessLog: new AccessLog(100, () => {}),
    handleControl: () => false,
  });
  const server = http.createServer(proxy.handleRequest).on('upgrade', proxy.handleUpgrade);
  await listen(server, '127.0.0.1', proxyPort);
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof write;
  try {
    const answer = await rawRequest(`http://127.0.0.1:${proxyPort}/api/v1/me?token=not-logged`);
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'bad_gateway' });
    const upgrade = await upgradeRequest(`http://127.0.0.1:${proxyPort}/terminals/alloc-ada-1/ws`);
    expect(upgrade.status).toBe(502);
  } finally {
    process.stderr.write = write;
    await closeNow(server);
    proxy.close();
  }
  expect(written.join('')).toBe(
    `packgate stack proxy: GET /api/v1/me: route app-api to the api service failed: connect ECONNREFUSED 127.0.0.1:${downPort}\n` +
      `packgate stack proxy: GET /terminals/alloc-ada-1/ws: route terminals to the terminal service failed: connect ECONNREFUSED 127.0.0.1:${downPort}\n`,
  );
});
