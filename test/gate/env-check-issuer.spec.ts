import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { demoAt } from '../helpers/demo.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * `packgate env check` of an issuer URL that answers but serves no OpenID discovery document: a
 * web server at the right host with the wrong path (or no IdP at all). A real loopback server.
 */
test('an issuer whose discovery document is not served fails, naming the URL, the status and what to check', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // The issuer URL itself answers 200 (a page), everything else 404: the discovery document among them.
  const server = http.createServer((request, response) => {
    response.writeHead(request.url === '/realms/wrong' ? 200 : 404, { 'content-type': 'text/plain' });
    response.end(request.url === '/realms/wrong' ? 'a page\n' : 'not found\n');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const result = await project.packgate(
      ['env', 'check', 'demo', '--no-sign-in', '--json'],
      demoAt(origin, `${origin}/realms/wrong`),
    );
    expect(result.exitCode, result.output).toBe(1);
    const body = JSON.parse(result.stdout) as PreflightResult & { ok: boolean };
    expect(body).toMatchObject({ ok: false, ready: false });
    // One cause, one failure: the issuer, not reachable as an issuer; discovery then not judged.
    expect(body.checks.filter(c => c.ok === false)).toEqual([
      {
        check: 'url auth_issuer',
        ok: false,
        detail:
          `${origin}/realms/wrong/.well-known/openid-configuration answers HTTP 404: the issuer serves no ` +
          'OpenID discovery document; check urls.auth_issuer in environments/demo.yaml (PACKGATE_DEMO_ISSUER_URL) ' +
          'is the issuer URL itself, exactly as the IdP names it ("issuer" in its discovery document)',
      },
    ]);
    expect(body.checks.find(c => c.check === 'idp discovery')).toEqual({
      check: 'idp discovery',
      ok: null,
      detail: 'not checked: no discovery document from the issuer (url auth_issuer)',
    });
    expect(body.checks.find(c => c.check === 'url app')).toMatchObject({ ok: true });
  } finally {
    server.close();
  }
});
