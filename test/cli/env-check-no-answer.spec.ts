import net from 'node:net';
import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A deployment that does not answer (a firewall that drops, a VPN not up) costs env check one request
 * timeout, not one per URL and then a browser's per sign-in: the URL rows say no answer came, and
 * the sign-ins, which start at the app and go through the issuer, are not tried (no browser
 * launches). A server that accepts connections and never answers stands in for it. How long it takes
 * is not asserted (speed is measured in bench/, never in tests): the rows say what was not tried.
 */
test('env check of a deployment that does not answer says so in one timeout and tries no sign-in', async ({}, testInfo) => {
  test.setTimeout(90_000);
  const project = await TempProject.create(testInfo);
  const held: net.Socket[] = [];
  const server = net.createServer(socket => held.push(socket));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  try {
    // Before: 52 s, the three URLs one after the other, then each sign-in failing on its own
    // "page.goto: Timeout 10000ms exceeded".
    const run = await project.packgate(['env', 'check', 'demo', '--json'], {
      PACKGATE_DEMO_APP_URL: base,
      PACKGATE_DEMO_ISSUER_URL: `${base}/realms/gpuaas`,
      PACKGATE_DEMO_USER_PASSWORD: 'x',
      PACKGATE_DEMO_MEMBER_PASSWORD: 'y',
      PACKGATE_ALLOW_HTTP: '1',
    });
    expect(run.exitCode, run.output).toBe(1);
    const result = JSON.parse(run.stdout) as PreflightResult;
    const rows = Object.fromEntries(result.checks.map(c => [c.check, c]));
    expect(rows['url app']).toEqual({ check: 'url app', ok: false, detail: `${base}: no answer within 10 s` });
    expect(rows['url api']).toEqual({ check: 'url api', ok: false, detail: `${base}/api: no answer within 10 s` });
    expect(rows['url auth_issuer']).toMatchObject({
      ok: false,
      detail: expect.stringContaining('no answer within 10 s'),
    });
    for (const persona of ['ada', 'grace'])
      expect(rows[`sign in as ${persona}`]).toEqual({
        check: `sign in as ${persona}`,
        ok: null,
        detail: 'not checked: url app does not answer (above)',
      });
  } finally {
    for (const socket of held) socket.destroy();
    server.close();
  }
});
