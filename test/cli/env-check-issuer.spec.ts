import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { demoAt } from '../helpers/demo.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An IdP whose issuer identifier ends in a slash, as Auth0 names its tenants' (`https://tenant/`):
 * the descriptor gives it as the IdP does, and env check compares it as written. Before, the
 * descriptor's URL lost its slash and the `idp discovery` row failed whatever was written, so such
 * a deployment could never be ready.
 */
test("an issuer written with its trailing slash, as the IdP names it, is the IdP's: env check's discovery row passes", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  let base = '';
  const server = http.createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration')
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: `${base}/`,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/oauth/token`,
          jwks_uri: `${base}/.well-known/jwks.json`,
        }),
      );
    else res.writeHead(200).end('ok');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const rowsOf = async (issuer: string) => {
      const run = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], demoAt(base, issuer));
      return Object.fromEntries((JSON.parse(run.stdout) as PreflightResult).checks.map(c => [c.check, c]));
    };
    const asNamed = await rowsOf(`${base}/`);
    expect(asNamed['url auth_issuer']).toMatchObject({ ok: true });
    expect(asNamed['idp discovery']).toEqual({
      check: 'idp discovery',
      ok: true,
      detail: `issuer ${base}/ is the configured one`,
    });
    // Without the slash it is another identifier, and said so.
    expect((await rowsOf(base))['idp discovery']).toEqual({
      check: 'idp discovery',
      ok: false,
      detail: `the IdP names issuer ${base}/, the descriptor ${base}: tokens would not validate; use exactly the IdP's`,
    });
  } finally {
    server.close();
  }
});
