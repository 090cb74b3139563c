import { expect, test } from '@playwright/test';
import { runCommand } from '../../stack/terminal/shell.ts';
import { expectedAccept, upgradeRequest } from './raw-http.ts';
import { signIn } from './session.ts';
import { startStack, type RunningStack } from './start-stack.ts';
import { TerminalClient } from './terminal-client.ts';

/**
 * The terminal over a real websocket through the proxy: the upgrade's checks and refusals (never a
 * 101 when refused), a valid handshake when accepted, and the ready/input/output protocol.
 */

let stack: RunningStack;
let adaCookie: string;
let graceCookie: string;

test.beforeAll(async ({ playwright }) => {
  stack = await startStack();
  const [ada, grace] = await Promise.all([1, 2].map(() => playwright.request.newContext()));
  adaCookie = await signIn(ada, stack, 'ada');
  graceCookie = await signIn(grace, stack, 'grace');
  await Promise.all([ada.dispose(), grace.dispose()]);
});

test.afterAll(async () => {
  await stack?.stop();
});

const wsUrl = (allocation: string) => `${stack.appUrl.replace(/^http/, 'ws')}/terminals/${allocation}/ws`;
const httpUrl = (allocation: string) => `${stack.appUrl}/terminals/${allocation}/ws`;
const appOrigin = () => new URL(stack.appUrl).origin;

test('an accepted upgrade is a 101 with a valid Sec-WebSocket-Accept, through the proxy', async () => {
  const answer = await upgradeRequest(httpUrl('alloc-ada-1'), {
    cookie: `gpuaas_session=${adaCookie}`,
    origin: appOrigin(),
    headers: { 'x-correlation-id': 'pg-ws-accepted-1' },
  });
  expect(answer.status).toBe(101);
  expect(answer.headers['sec-websocket-accept']).toBe(expectedAccept(answer.key));
  expect(answer.headers['upgrade']?.toLowerCase()).toBe('websocket');
  expect(answer.headers['x-served-by']).toBe('terminal');
  expect(answer.headers['x-correlation-id']).toBe('pg-ws-accepted-1');
  expect(answer.headers['traceresponse']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

  const log = await fetch(`${stack.appUrl}/__stack/access-log?correlation_id=pg-ws-accepted-1`);
  expect(((await log.json()) as { lines: unknown[] }).lines).toEqual([
    expect.objectContaining({
      route: 'terminals',
      upstream: 'terminal',
      path: '/terminals/alloc-ada-1/ws',
      status: 101,
    }),
  ]);
});

test('the protocol: ready, then one output per input line', async () => {
  const terminal = await TerminalClient.open(wsUrl('alloc-ada-1'), { cookie: adaCookie, origin: appOrigin() });
  try {
    expect(await terminal.next()).toEqual({ type: 'ready', allocation: 'alloc-ada-1', node: 'gpu-node-01' });
    expect(await terminal.run('echo hello   terminal')).toEqual({ type: 'output', data: 'hello terminal\n' });
    expect(await terminal.run('hostname')).toEqual({ type: 'output', data: 'gpu-node-01\n' });
    const gpus = await terminal.run('nvidia-smi -L');
    expect(String(gpus.data)).toMatch(/^GPU 0: NVIDIA H100 80GB HBM3 \(UUID: GPU-[0-9a-f-]+\)\n$/);
    expect(await terminal.run('rm -rf /')).toEqual({ type: 'output', data: 'sh: rm: command not found\n' });
    terminal.socket.send('not json');
    expect(await terminal.next()).toMatchObject({ type: 'error', message: expect.stringContaining('input') });
  } finally {
    terminal.close();
  }

  const grace = await TerminalClient.open(wsUrl('alloc-grace-1'), { cookie: graceCookie, origin: appOrigin() });
  try {
    expect(await grace.next()).toMatchObject({ type: 'ready', allocation: 'alloc-grace-1' });
    const lines = String((await grace.run('nvidia-smi -L')).data)
      .trimEnd()
      .split('\n');
    expect(lines, "one line per GPU of grace's allocation").toHaveLength(2);
  } finally {
    grace.close();
  }
});

test('refusals are plain HTTP answers, never 101, in the contract order', async () => {
  const ada = `gpuaas_session=${adaCookie}`;
  const cases: Array<[string, string, { cookie?: string; origin?: string }, number, string]> = [
    ['no session', 'alloc-ada-1', { origin: appOrigin() }, 401, 'unauthenticated'],
    [
      'no session and a foreign origin: the session is checked first',
      'alloc-ada-1',
      { origin: 'http://evil.example' },
      401,
      'unauthenticated',
    ],
    [
      'a session from an unknown cookie',
      'alloc-ada-1',
      { cookie: 'gpuaas_session=forged', origin: appOrigin() },
      401,
      'unauthenticated',
    ],
    ['a foreign origin', 'alloc-ada-1', { cookie: ada, origin: 'http://evil.example' }, 403, 'forbidden_origin'],
    ['no origin', 'alloc-ada-1', { cookie: ada }, 403, 'forbidden_origin'],
    ['an unknown allocation', 'alloc-nobody', { cookie: ada, origin: appOrigin() }, 404, 'not_found'],
    ["another user's allocation", 'alloc-grace-1', { cookie: ada, origin: appOrigin() }, 403, 'forbidden'],
    ['an ended allocation', 'alloc-ada-2', { cookie: ada, origin: appOrigin() }, 409, 'not_active'],
  ];
  for (const [why, allocation, options, status, error] of cases) {
    const answer = await upgradeRequest(httpUrl(allocation), options);
    expect(answer.status, why).toBe(status);
    expect(answer.headers['sec-websocket-accept'], why).toBeUndefined();
    expect(JSON.parse(answer.body), why).toMatchObject({ error, message: expect.any(String) });
  }
  await expect(
    TerminalClient.open(wsUrl('alloc-ada-2'), { cookie: adaCookie, origin: appOrigin() }),
    'a websocket client sees the refusal too',
  ).rejects.toThrow('refused with HTTP 409');
});

test('the proxy refuses upgrades off the terminals route, and on unknown hosts', async () => {
  const origin = appOrigin();
  const cookie = `gpuaas_session=${adaCookie}`;
  for (const path of ['/shell', '/api/v1/me', '/notebooks/nb-ada-vision/lab']) {
    const answer = await upgradeRequest(`${stack.appUrl}${path}`, { cookie, origin });
    expect(answer.status, path).toBe(404);
    expect(answer.headers['x-served-by']).toBe('proxy');
  }
  const wrongPath = await upgradeRequest(`${stack.appUrl}/terminals/alloc-ada-1/shell`, { cookie, origin });
  expect(wrongPath.status, 'the terminal service serves /<allocation>/ws only').toBe(404);
  expect(wrongPath.headers['x-served-by']).toBe('terminal');
  const unknownHost = await upgradeRequest(httpUrl('alloc-ada-1'), { cookie, origin, host: 'elsewhere.example' });
  expect(unknownHost.status).toBe(421);

  const refused = await upgradeRequest(httpUrl('alloc-ada-2'), {
    cookie,
    origin,
    headers: { 'x-correlation-id': 'pg-ws-refused-1' },
  });
  expect(refused.status).toBe(409);
  const log = await fetch(`${stack.appUrl}/__stack/access-log?correlation_id=pg-ws-refused-1`);
  expect(((await log.json()) as { lines: unknown[] }).lines).toEqual([
    expect.objectContaining({ route: 'terminals', status: 409 }),
  ]);
});

test('a plain HTTP request to a terminal path is 404 from the terminal service', async ({ request }) => {
  const response = await request.get(httpUrl('alloc-ada-1'));
  expect(response.status()).toBe(404);
  expect(response.headers()['x-served-by']).toBe('terminal');
});

test('a client that breaks the protocol loses its socket, and the stack lives on', async () => {
  const terminal = await TerminalClient.open(wsUrl('alloc-ada-1'), { cookie: adaCookie, origin: appOrigin() });
  terminal.socket.on('error', () => {});
  const closed = new Promise<number>(resolve => terminal.socket.once('close', code => resolve(code)));
  // Over the service's 64 KiB maxPayload.
  terminal.socket.send(JSON.stringify({ type: 'input', data: `echo ${'x'.repeat(70 * 1024)}` }));
  expect(await closed, 'closed as "message too big"').toBe(1009);

  const again = await TerminalClient.open(wsUrl('alloc-ada-1'), { cookie: adaCookie, origin: appOrigin() });
  try {
    expect(await again.next()).toMatchObject({ type: 'ready' });
  } finally {
    again.close();
  }
  expect(stack.stderr(), 'no stack trace either').not.toContain('Error');
});

test.describe('runCommand', () => {
  const host = { allocation: 'alloc-x', node: 'node-x', gpus: 3 };

  test('echo, hostname, nvidia-smi -L, and anything else as an unknown command', () => {
    expect(runCommand('echo a  b', host)).toBe('a b\n');
    expect(runCommand('echo', host)).toBe('\n');
    expect(runCommand('  hostname ', host)).toBe('node-x\n');
    const gpus = runCommand('nvidia-smi -L', host).split('\n');
    expect(gpus.slice(0, 3).map(l => l.slice(0, 6))).toEqual(['GPU 0:', 'GPU 1:', 'GPU 2:']);
    expect(new Set(gpus).size, 'each GPU has its own UUID').toBe(4);
    expect(runCommand('nvidia-smi -L', host), 'the same on every run').toBe(runCommand('nvidia-smi -L', host));
    expect(runCommand('nvidia-smi', host)).toBe('sh: nvidia-smi: command not found\n');
    expect(runCommand('ls -la', host)).toBe('sh: ls: command not found\n');
    expect(runCommand('   ', host)).toBe('');
  });
});
