import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { TrustedCa } from '../../src/browser/trust-store.ts';
import { writeCaBundle } from '../../src/playwright/trust-setup.ts';
import { issueCertificates } from '../../stack/parity/certificates.ts';

/** A CA file of the parity environment, whose stack writes it. */
const parityCa = (file: string): TrustedCa => ({ file, environment: { name: 'parity', stack: {} } });

/** A CA's certificate, as its PEM ends a line. */
const PEM = (name: string) => `${issueCertificates([`${name}.localhost`]).caPem.trim()}\n`;

test.describe('the CA bundle of the workers', () => {
  let preset: string | undefined;
  test.beforeEach(() => (preset = process.env.NODE_EXTRA_CA_CERTS));
  test.afterEach(() => {
    if (preset === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = preset;
  });

  test('holds the extra CAs already set, then those of the environments', async ({}, testInfo) => {
    const dir = testInfo.outputPath();
    fs.mkdirSync(dir, { recursive: true });
    const [corporate, parity] = [PEM('corporate'), PEM('parity')];
    fs.writeFileSync(path.join(dir, 'corporate.pem'), corporate);
    fs.writeFileSync(path.join(dir, 'parity.pem'), parity);
    process.env.NODE_EXTRA_CA_CERTS = path.join(dir, 'corporate.pem');
    writeCaBundle(path.join(dir, 'bundle.pem'), [parityCa(path.join(dir, 'parity.pem'))]);
    expect(fs.readFileSync(path.join(dir, 'bundle.pem'), 'utf8')).toBe(`${corporate.trim()}\n${parity}`);
  });

  test('skips a NODE_EXTRA_CA_CERTS that is no file, as Node does, instead of calling it tls.ca_file', async ({}, testInfo) => {
    const dir = testInfo.outputPath();
    fs.mkdirSync(path.join(dir, 'a-folder'), { recursive: true });
    const parity = PEM('parity');
    fs.writeFileSync(path.join(dir, 'parity.pem'), parity);
    process.env.NODE_EXTRA_CA_CERTS = path.join(dir, 'a-folder');
    writeCaBundle(path.join(dir, 'bundle.pem'), [parityCa(path.join(dir, 'parity.pem'))]);
    expect(fs.readFileSync(path.join(dir, 'bundle.pem'), 'utf8')).toBe(parity);
  });

  test('refuses a tls.ca_file that holds no certificate, naming it, instead of bundling what Node ignores', async ({}, testInfo) => {
    // Before: written into the bundle as it was; Node loads no certificate from such a bundle (with a
    // warning on stderr at most), so the run's https checks failed on certificates the CA issued.
    const dir = testInfo.outputPath();
    fs.mkdirSync(dir, { recursive: true });
    delete process.env.NODE_EXTRA_CA_CERTS;
    const bundle = path.join(dir, 'bundle.pem');
    fs.writeFileSync(path.join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    expect(() => writeCaBundle(bundle, [parityCa(path.join(dir, 'key.pem'))])).toThrow(
      /the CA file \S*key\.pem \(the environment's tls\.ca_file\): not a PEM certificate \(no -----BEGIN CERTIFICATE----- in it\)/,
    );
    fs.writeFileSync(
      path.join(dir, 'two.pem'),
      `${PEM('parity')}-----BEGIN CERTIFICATE-----\nparity\n-----END CERTIFICATE-----\n`,
    );
    expect(() => writeCaBundle(bundle, [parityCa(path.join(dir, 'two.pem'))])).toThrow(
      /two\.pem \(the environment's tls\.ca_file\): certificate 2 of 2 does not decode as a certificate \(bad base64 decode\)/,
    );
    expect(fs.existsSync(bundle)).toBe(false);
  });

  test("a missing CA file says what to do by its environment: start the stack that writes it, or get the deployment's", async ({}, testInfo) => {
    // Before: the gate's bundle named no environment, so its hint said `npx packgate stack start --env <name>`
    // for every environment, a deployment without a stack too.
    delete process.env.NODE_EXTRA_CA_CERTS;
    const missing = testInfo.outputPath('missing.pem');
    const bundle = testInfo.outputPath('bundle.pem');
    expect(() => writeCaBundle(bundle, [parityCa(missing)])).toThrow(
      /no such file[\s\S]*start its stack first \(npx packgate stack start --env parity\)/,
    );
    let message = '';
    try {
      writeCaBundle(bundle, [{ file: missing, environment: { name: 'acme' } }]);
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain("get the certificate of the CA that issued the deployment's certificates (PEM)");
    expect(message).not.toContain('stack start');
  });
});
