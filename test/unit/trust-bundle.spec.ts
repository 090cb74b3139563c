import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { writeCaBundle } from '../../src/playwright/trust-setup.ts';

const PEM = (name: string) => `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`;

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
    fs.writeFileSync(path.join(dir, 'corporate.pem'), PEM('corporate'));
    fs.writeFileSync(path.join(dir, 'parity.pem'), PEM('parity'));
    process.env.NODE_EXTRA_CA_CERTS = path.join(dir, 'corporate.pem');
    writeCaBundle(path.join(dir, 'bundle.pem'), [path.join(dir, 'parity.pem')]);
    expect(fs.readFileSync(path.join(dir, 'bundle.pem'), 'utf8')).toBe(`${PEM('corporate').trim()}\n${PEM('parity')}`);
  });

  test('skips a NODE_EXTRA_CA_CERTS that is no file, as Node does, instead of calling it tls.ca_file', async ({}, testInfo) => {
    const dir = testInfo.outputPath();
    fs.mkdirSync(path.join(dir, 'a-folder'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'parity.pem'), PEM('parity'));
    process.env.NODE_EXTRA_CA_CERTS = path.join(dir, 'a-folder');
    writeCaBundle(path.join(dir, 'bundle.pem'), [path.join(dir, 'parity.pem')]);
    expect(fs.readFileSync(path.join(dir, 'bundle.pem'), 'utf8')).toBe(PEM('parity'));
  });
});
