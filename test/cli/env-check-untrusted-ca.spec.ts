import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { issueCertificates } from '../../stack/parity/certificates.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A deployment whose certificates a private CA issued, checked before the descriptor names that CA
 * (tls.ca_file): every URL row fails on what Node says of the certificate, and the check ends with
 * what to do about it, as it does for a stack that is not up. An https server with such a
 * certificate stands in for the deployment; no browser launches (--no-sign-in).
 */
test('env check of a deployment whose certificate this machine does not trust says to name its CA in tls.ca_file', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const issued = issueCertificates(['localhost']);
  const server = https.createServer({ cert: issued.certPem, key: issued.keyPem }, (_req, res) => res.end('ok'));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `https://localhost:${(server.address() as AddressInfo).port}`;
  const demo = {
    PACKGATE_DEMO_APP_URL: base,
    PACKGATE_DEMO_ISSUER_URL: `${base}/realms/gpuaas`,
    PACKGATE_DEMO_USER_PASSWORD: 'x',
    PACKGATE_DEMO_MEMBER_PASSWORD: 'y',
  };
  try {
    // Before: three rows "TLS: apiRequestContext.get: self-signed certificate in certificate chain",
    // and nothing said what to do about it.
    const text = await project.packgate(['env', 'check', 'demo', '--no-sign-in'], demo);
    expect(text.exitCode, text.output).toBe(1);
    expect(text.stdout).toMatch(/\n {2}url app +FAIL +https:\/\/localhost:\d+: TLS: .*self-signed certificate/);
    const hint =
      "the deployment's certificate is not one this machine trusts (url app): if a private CA issued it, " +
      "set tls.ca_file in environments/demo.yaml to that CA's certificate (PEM); env check and the gate then trust it";
    expect(text.stdout.endsWith(`\nhint: ${hint}\n`), text.stdout).toBe(true);
    const json = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], demo);
    expect(json.exitCode, json.output).toBe(1);
    expect(JSON.parse(json.stdout) as PreflightResult).toMatchObject({ ready: false, hint });

    // A tls.ca_file naming another CA: trusted, but not the one that issued the certificate.
    project.write({
      'certs/other-ca.pem': issueCertificates(['localhost']).caPem,
      'environments/demo.yaml': project
        .read('environments/demo.yaml')
        .replace('oidc:', 'tls:\n  ca_file: certs/other-ca.pem\noidc:'),
    });
    const other = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], demo);
    expect(other.exitCode, other.output).toBe(1);
    const result = JSON.parse(other.stdout) as PreflightResult;
    expect(result.checks.find(c => c.check === 'tls.ca_file')).toMatchObject({ ok: true });
    expect(result.hint).toBe(
      "the deployment's certificate is not issued by the CA its tls.ca_file names (url app): point tls.ca_file in " +
        'environments/demo.yaml (or the env var it reads) at the certificate (PEM) of the CA that issued it',
    );

    // Its own CA: no hint, the URLs answer.
    project.write({ 'certs/other-ca.pem': issued.caPem });
    const own = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], demo);
    const trusted = JSON.parse(own.stdout) as PreflightResult;
    expect(
      trusted.checks.find(c => c.check === 'url app'),
      own.output,
    ).toMatchObject({ ok: true });
    expect(trusted.hint).toBeUndefined();
  } finally {
    server.close();
  }
});
