import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import forge from 'node-forge';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { issueCertificates } from '../../stack/parity/certificates.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An environment's tls.ca_file that cannot be read (its stack not started, or a folder) is the
 * environment not ready, not a bad catalogue: env check prints its table, a failing tls.ca_file row
 * naming the file, why in words and what to do, the checks that need the CA not checked because of
 * it, exit 1. The parity stack is not started: nothing is reached, no browser launches.
 */
test('env check: a tls.ca_file that is missing or a folder fails its row, in words; what needs it is not checked; exit 1', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  await project.useParityPorts();
  const point =
    "point the environment's tls.ca_file (or the env var it reads) at the PEM of the CA that issued its certificates";
  const needing = [
    ...['url app', 'url api', 'url proxy', 'url auth_issuer', 'idp discovery', 'registered callback'],
    ...['sign in as ada', 'sign in as grace'],
  ];

  // Before: the URLs were tried without the CA, then exit 2 and no table, on stderr "packgate: the
  // CA file missing/ca.pem (the environment's tls.ca_file): no such file" with its hint.
  const missing = await project.packgate(['env', 'check', 'parity'], { PACKGATE_PARITY_CA_FILE: 'missing/ca.pem' });
  expect(missing.exitCode, missing.output).toBe(1);
  expect(missing.stderr).toBe('');
  expect(missing.stdout).toMatch(
    /^environment "parity" \(environments\/parity\.yaml\) is NOT READY: 1 of \d+ checks fail\n/,
  );
  expect(missing.stdout).toContain(
    "  tls.ca_file             FAIL    the CA file missing/ca.pem (the environment's tls.ca_file): no such file; " +
      'a stack in deployment shape writes it when it starts: start its stack first ' +
      `(npx packgate stack start --env parity), or ${point}\n`,
  );
  for (const check of needing)
    expect(missing.stdout).toMatch(
      new RegExp(
        `\\n {2}${check} +- +not checked: it needs the CA, which cannot be read \\(tls\\.ca_file, above\\)\\n`,
      ),
    );

  // Before: exit 2 at once, "the CA file ca-folder (the environment's tls.ca_file): a folder, not a file".
  fs.mkdirSync(path.join(project.dir, 'ca-folder'));
  const folder = await project.packgate(['env', 'check', 'parity', '--json'], { PACKGATE_PARITY_CA_FILE: 'ca-folder' });
  expect(folder.exitCode, folder.output).toBe(1);
  expect(folder.stderr).toBe('');
  const result = JSON.parse(folder.stdout) as PreflightResult & { ok: boolean };
  expect(result).toMatchObject({ ok: false, ready: false });
  expect(result.checks.filter(c => c.ok === false)).toEqual([
    {
      check: 'tls.ca_file',
      ok: false,
      detail: `the CA file ca-folder (the environment's tls.ca_file): a folder, not a file; remove the folder ca-folder, or ${point}`,
    },
  ]);
  expect(result.checks.filter(c => needing.includes(c.check)).map(c => [c.check, c.ok])).toEqual(
    needing.map(check => [check, null]),
  );
});

/**
 * A tls.ca_file that is there but holds no certificate (a text file, a certificate in DER) is the
 * deployment's setup wrong, as a missing one is: its row fails saying what the file is and what to
 * do, the rest of the table is printed, exit 1.
 */
test('env check: a tls.ca_file that is not a PEM certificate fails its row, in words, with what to do; exit 1', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  await project.useParityPorts();
  const point =
    "point the environment's tls.ca_file (or the env var it reads) at the PEM of the CA that issued its certificates";

  // Before: the URLs were tried trusting nothing, then exit 2 and no table, on stderr "packgate:
  // certutil -A failed: certutil: could not decode certificate: SEC_ERROR_BAD_DER ...".
  project.write({ 'ca.txt': 'not a certificate\n' });
  const text = await project.packgate(['env', 'check', 'parity'], { PACKGATE_PARITY_CA_FILE: 'ca.txt' });
  expect(text.exitCode, text.output).toBe(1);
  expect(text.stderr).toBe('');
  expect(text.stdout).toMatch(
    /^environment "parity" \(environments\/parity\.yaml\) is NOT READY: 1 of \d+ checks fail\n/,
  );
  expect(text.stdout).toContain(
    "  tls.ca_file             FAIL    the CA file ca.txt (the environment's tls.ca_file): " +
      `not a PEM certificate (no -----BEGIN CERTIFICATE----- in it); ${point}\n`,
  );
  expect(text.stdout).toMatch(/\n {2}sign in as ada +- +not checked: it needs the CA/);
  expect(text.stdout).toContain('\npacks it runs (8):\n');

  // A certificate in DER: the same row, saying how to convert it.
  const pem = issueCertificates(['app.gpuaas.localhost']).caPem;
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  fs.writeFileSync(path.join(project.dir, 'ca.der'), der);
  const inDer = await project.packgate(['env', 'check', 'parity', '--json'], { PACKGATE_PARITY_CA_FILE: 'ca.der' });
  expect(inDer.exitCode, inDer.output).toBe(1);
  const result = JSON.parse(inDer.stdout) as PreflightResult & { ok: boolean };
  expect(result.checks.filter(c => c.ok === false)).toEqual([
    {
      check: 'tls.ca_file',
      ok: false,
      detail:
        "the CA file ca.der (the environment's tls.ca_file): a certificate in DER, not PEM; convert it to PEM " +
        "(openssl x509 -inform der -in ca.der -out ca.pem) and point the environment's tls.ca_file (or the env var it reads) at that",
    },
  ]);
});

/**
 * A machine without certutil cannot give the browser the environment's CA, so neither env check's
 * sign-ins nor a gate's browsers can run here: a failing row naming the Debian package, the sign-ins
 * not checked because of it, the rest of the table printed, exit 1.
 */
test('env check: without certutil the browser trust row fails naming libnss3-tools; the sign-ins are not checked; exit 1', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  await project.useParityPorts();
  project.write({ 'ca.pem': issueCertificates(['app.gpuaas.localhost']).caPem });
  const noTools = path.join(project.dir, 'no-tools');
  fs.mkdirSync(noTools);

  // Before: exit 2 and no table, on stderr "packgate: certutil is not installed: the browser cannot
  // be made to trust the environment's CA" with its hint.
  const run = await project.packgate(['env', 'check', 'parity'], { PACKGATE_PARITY_CA_FILE: 'ca.pem', PATH: noTools });
  expect(run.exitCode, run.output).toBe(1);
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/\n {2}tls\.ca_file +ok +ca\.pem: trusted by the checks below\n/);
  expect(run.stdout).toContain(
    "  browser trust           FAIL    certutil is not installed: the browser cannot be made to trust the environment's CA; " +
      'install NSS tools (`sudo apt-get install -y libnss3-tools` on Debian/Ubuntu); .ci/run installs it\n',
  );
  for (const user of ['ada', 'grace'])
    expect(run.stdout).toMatch(
      new RegExp(
        `\\n {2}sign in as ${user} +- +not checked: the browser cannot be made to trust the environment's CA \\(browser trust, above\\)\\n`,
      ),
    );
  expect(run.stdout).toContain('\npacks it runs (8):\n');
});

/**
 * A tls.ca_file read from an env var that is not set (and has no default) is a row of its own, as
 * each other variable is: failing, naming the variable, where the descriptor reads it and what to
 * set it to. The descriptor does not resolve without it, so nothing is reached.
 */
test('env check: a tls.ca_file whose env var is not set fails its own row, naming the variable and the file; exit 1', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.write({
    'environments/acme.yaml': project
      .read('environments/demo.yaml')
      .replace('name: demo', 'name: acme')
      .replace('oidc:', 'tls:\n  ca_file: { env: ACME_CA_FILE }\noidc:'),
  });
  const lineOf = (file: string, text: string) => project.read(file).split('\n').indexOf(text) + 1;
  const line = lineOf('environments/acme.yaml', '  ca_file: { env: ACME_CA_FILE }');

  // Before: no tls.ca_file row; 'descriptor resolves' failed over two lines, 'environment "acme"
  // cannot be resolved:' then 'environments/acme.yaml:15 tls.ca_file: ACME_CA_FILE is not set and
  // there is no default; set ACME_CA_FILE'.
  const run = await project.packgate(['env', 'check', 'acme'], {
    PACKGATE_DEMO_USER_PASSWORD: 'pw',
    PACKGATE_DEMO_MEMBER_PASSWORD: 'pw2',
  });
  expect(run.exitCode, run.output).toBe(1);
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/^environment "acme" \(environments\/acme\.yaml\) is NOT READY: 2 of \d+ checks fail\n/);
  expect(run.stdout).toContain(
    `  tls.ca_file             FAIL    ACME_CA_FILE is not set and there is no default (tls.ca_file in environments/acme.yaml:${line}): ` +
      "set it to the path of the PEM of the CA that issued the deployment's certificates\n" +
      '  descriptor resolves     FAIL    not until the failures above are fixed\n',
  );

  // An environment whose stack writes its CA: set it to where the stack is to write it.
  project.edit('environments/parity.yaml', text =>
    text.replace(
      '{ env: PACKGATE_PARITY_CA_FILE, default: .packgate/parity/ca.pem }',
      '{ env: PACKGATE_PARITY_CA_FILE }',
    ),
  );
  const parity = await project.packgate(['env', 'check', 'parity', '--json']);
  expect(parity.exitCode, parity.output).toBe(1);
  const result = JSON.parse(parity.stdout) as PreflightResult;
  expect(result.checks.find(c => c.check === 'tls.ca_file')).toEqual({
    check: 'tls.ca_file',
    ok: false,
    detail:
      'PACKGATE_PARITY_CA_FILE is not set and there is no default ' +
      `(tls.ca_file in environments/parity.yaml:${lineOf('environments/parity.yaml', '  ca_file: { env: PACKGATE_PARITY_CA_FILE }')}): ` +
      'set it to where its stack is to write the CA it generates (it writes it there when it starts)',
  });
});

/**
 * What to do about a missing CA file depends on what makes it: an environment with a stack has the
 * stack write it (start it), a deployment's is fetched from whoever runs it. Nothing is reached.
 */
test("env check: a missing tls.ca_file of an environment without a stack says to get the deployment's CA, not to start a stack", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.write({
    'environments/acme.yaml': project
      .read('environments/demo.yaml')
      .replace('name: demo', 'name: acme')
      .replace('oidc:', 'tls:\n  ca_file: certs/acme-ca.pem\noidc:'),
  });

  // Before: '...: no such file; a stack in deployment shape writes it when it starts: start its
  // stack first (npx packgate stack start --env acme), or point ...': acme has no stack to start.
  const run = await project.packgate(['env', 'check', 'acme', '--json'], {
    PACKGATE_DEMO_USER_PASSWORD: 'pw',
    PACKGATE_DEMO_MEMBER_PASSWORD: 'pw2',
  });
  expect(run.exitCode, run.output).toBe(1);
  const result = JSON.parse(run.stdout) as PreflightResult;
  expect(result.checks.filter(c => c.ok === false)).toEqual([
    {
      check: 'tls.ca_file',
      ok: false,
      detail:
        "the CA file certs/acme-ca.pem (the environment's tls.ca_file): no such file; get the certificate of the CA " +
        "that issued the deployment's certificates (PEM) and point the environment's tls.ca_file (or the env var it reads) at it",
    },
  ]);
});

/** A CA's certificate (PEM) of another name than the parity stack's CAs, which all share one. */
function anotherCa(): string {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey((key as forge.pki.rsa.PrivateKey).n, (key as forge.pki.rsa.PrivateKey).e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [{ name: 'commonName', value: 'another CA of the bundle' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }]);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/**
 * A tls.ca_file of several CAs (a corporate bundle; the app's CA and the IdP's): Node trusted each,
 * the browser only the first (certutil adds the first certificate of a file), so the URL rows passed
 * and each sign-in failed "net::ERR_CERT_AUTHORITY_INVALID" on a certificate the file's second CA
 * issued. An https app on loopback whose certificate that second CA issued; its sign-in page is no
 * sign-in, so the browser's row says where it ended, having opened it.
 */
test("env check: every CA of a tls.ca_file bundle is trusted by the sign-in's browser, not the first alone", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const issuing = issueCertificates(['localhost']);
  const listen = async (handler: http.RequestListener) => {
    const server = https.createServer({ cert: issuing.certPem, key: issuing.keyPem }, handler);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `https://localhost:${(server.address() as AddressInfo).port}` };
  };
  const app = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>no sign-in</p>'));
  const idp = await listen((req, res) =>
    req.url === '/realms/x/.well-known/openid-configuration'
      ? res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer: `${idp.url}/realms/x`, authorization_endpoint: `${idp.url}/realms/x/auth` }))
      : res.writeHead(200).end('ok'),
  );
  project.write({
    'certs/bundle.pem': `${anotherCa()}${issuing.caPem}`,
    'environments/demo.yaml': project
      .read('environments/demo.yaml')
      .replace('oidc:', 'tls:\n  ca_file: certs/bundle.pem\noidc:'),
  });
  try {
    const run = await project.packgate(['env', 'check', 'demo', '--json'], {
      PACKGATE_DEMO_APP_URL: app.url,
      PACKGATE_DEMO_ISSUER_URL: `${idp.url}/realms/x`,
      PACKGATE_DEMO_USER_PASSWORD: 'x',
      PACKGATE_DEMO_MEMBER_PASSWORD: 'y',
    });
    const rows = Object.fromEntries((JSON.parse(run.stdout) as PreflightResult).checks.map(c => [c.check, c]));
    expect(rows['url app'], run.output).toMatchObject({ ok: true });
    expect(rows['sign in as ada'].detail).not.toContain('ERR_CERT');
    expect(rows['sign in as ada'].detail).toBe(
      `"ada": sign-in failed at step "app-sent-to-idp": ${app.url}/login ended at ${app.url}/login (HTTP 200), ` +
        `not at the IdP ${idp.url}: check oidc.login_path in environments/demo.yaml is where the app starts its sign-in ` +
        '(or any protected page, where a proxy signs in for it)',
    );
  } finally {
    app.server.close();
    idp.server.close();
  }
});
