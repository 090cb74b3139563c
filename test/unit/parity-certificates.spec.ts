import crypto from 'node:crypto';
import tls from 'node:tls';
import { expect, test } from '@playwright/test';
import { issueCertificates, serialNumber } from '../../stack/parity/certificates.ts';

test('a serial is positive and minimally encoded whatever the random bytes: never 0x00 or 0x80+ first', () => {
  for (const first of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
    const random = Buffer.alloc(16, 0xab);
    random[0] = first;
    const serial = serialNumber(random);
    expect(serial, `first byte ${first}`).toMatch(/^(0[1-9a-f]|[1-7][0-9a-f])(ab){15}$/);
  }
});

test('certificates issued from random bytes that begin with zero load in Node (OpenSSL 3 refuses DER padding)', () => {
  // Before: a random serial beginning with 0x00 made an INTEGER with a padding byte, "illegal padding".
  const zeroFirst = (size: number) => Buffer.concat([Buffer.alloc(1), crypto.randomBytes(size - 1)]);
  const issued = issueCertificates(['app.example.localhost', 'api.example.localhost'], new Date(), zeroFirst);
  const ca = new crypto.X509Certificate(issued.caPem);
  const server = new crypto.X509Certificate(issued.certPem);
  expect(server.checkIssued(ca)).toBe(true);
  expect(server.subjectAltName).toBe('DNS:app.example.localhost, DNS:api.example.localhost');
  expect(() => tls.createSecureContext({ key: issued.keyPem, cert: issued.certPem })).not.toThrow();
});
