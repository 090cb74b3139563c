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

/**
 * A discovery document that names the issuer but no usable authorization_endpoint (none at all, or
 * a path without its host): before, env check ended in "packgate: internal error:
 * OperationProcessingError ..." with no table. Now the `registered callback` row fails, saying what
 * the document names, and the other rows stand.
 */
test('a discovery document without a usable authorization_endpoint fails the callback row, in words, not an internal error', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  let base = '';
  let endpoint: string | undefined;
  const server = http.createServer((req, res) => {
    if (req.url === '/realms/x/.well-known/openid-configuration')
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer: `${base}/realms/x`, authorization_endpoint: endpoint }));
    else res.writeHead(200).end('ok');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const callbackRow = async () => {
      const run = await project.packgate(
        ['env', 'check', 'demo', '--no-sign-in', '--json'],
        demoAt(base, `${base}/realms/x`),
      );
      expect(run.exitCode, run.output).toBe(1);
      const rows = Object.fromEntries((JSON.parse(run.stdout) as PreflightResult).checks.map(c => [c.check, c]));
      expect(rows['idp discovery']).toMatchObject({ ok: true });
      return rows['registered callback'];
    };
    expect(await callbackRow()).toEqual({
      check: 'registered callback',
      ok: false,
      detail:
        `the discovery document of ${base}/realms/x names no authorization_endpoint: no sign-in request can be sent ` +
        '(authorization server metadata does not contain a valid "as.authorization_endpoint"); ' +
        'an OpenID provider names its authorize URL there, in full',
    });
    endpoint = '/realms/x/auth';
    expect((await callbackRow()).detail).toMatch(
      /^the discovery document of .* names authorization_endpoint "\/realms\/x\/auth": no sign-in request can be sent/,
    );
  } finally {
    server.close();
  }
});

/**
 * `localhost.`, localhost fully qualified, is loopback (RFC 6761) and Chromium opens it; glibc answers
 * it ENOTFOUND. Before, a descriptor pointing at `http://localhost.:<port>` failed every URL row
 * "DNS: the host name does not resolve" (and a gate's API tests the same) while its browser sign-in
 * worked. Now packgate's API clients look it up as `localhost`.
 */
test('URLs on localhost. (with its trailing dot) are reached, as the browser reaches them', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  let base = '';
  const server = http.createServer((req, res) => {
    if (req.url === '/realms/x/.well-known/openid-configuration')
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer: `${base}/realms/x`, authorization_endpoint: `${base}/realms/x/auth` }));
    else res.writeHead(200).end('ok');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://localhost.:${(server.address() as AddressInfo).port}`;
  try {
    const run = await project.packgate(
      ['env', 'check', 'demo', '--no-sign-in', '--json'],
      demoAt(base, `${base}/realms/x`),
    );
    const rows = Object.fromEntries((JSON.parse(run.stdout) as PreflightResult).checks.map(c => [c.check, c]));
    expect(rows['url app'], run.output).toEqual({ check: 'url app', ok: true, detail: `${base} answers HTTP 200` });
    expect(rows['url auth_issuer']).toEqual({
      check: 'url auth_issuer',
      ok: true,
      detail: `${base}/realms/x serves its discovery document`,
    });
    expect(rows['idp discovery']).toMatchObject({ ok: true });
  } finally {
    server.close();
  }
});

/**
 * A server listening on ::1 only (a dev server bound to `localhost` where the system says ::1), at
 * `*.localhost` and `localhost` URLs: Chromium tries both loopback addresses and reaches it. Before,
 * packgate's lookup gave 127.0.0.1 alone, so env check's rows (and a gate's API tests) said
 * "connection refused" of a deployment the browser signed in to. Once it is down, still "connection
 * refused", in the words a stack that is not up gets.
 */
test('URLs on *.localhost and localhost reach a server listening on ::1 only, as the browser does', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  let issuer = '';
  const server = http.createServer((req, res) => {
    if (req.url === '/realms/x/.well-known/openid-configuration')
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth` }));
    else res.writeHead(200).end('ok');
  });
  const listening = await new Promise<boolean>(resolve => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => resolve(true));
  });
  test.skip(!listening, 'this machine has no IPv6 loopback (::1) to listen on');
  const port = (server.address() as AddressInfo).port;
  const app = `http://app.v6.localhost:${port}`;
  issuer = `http://localhost:${port}/realms/x`;
  const rowsOf = async () => {
    const run = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], demoAt(app, issuer));
    return Object.fromEntries((JSON.parse(run.stdout) as PreflightResult).checks.map(c => [c.check, c]));
  };
  try {
    const rows = await rowsOf();
    expect(rows['url app']).toEqual({ check: 'url app', ok: true, detail: `${app} answers HTTP 200` });
    expect(rows['url auth_issuer']).toEqual({
      check: 'url auth_issuer',
      ok: true,
      detail: `${issuer} serves its discovery document`,
    });
  } finally {
    await new Promise(resolve => server.close(resolve));
  }
  const down = await rowsOf();
  expect(down['url app']).toEqual({
    check: 'url app',
    ok: false,
    detail: `${app}: connection refused: nothing listens there`,
  });
});
