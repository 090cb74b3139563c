import { expect, test } from '@playwright/test';
import { hideUrlCredentials } from '../../src/preflight/env-check.ts';

/** env check's rows quote URLs; the user name and password a URL may carry are never among what they show. */
test('credentials in a URL are hidden whole, an @ in the password too; URLs without them and e-mail addresses stay as they are', () => {
  expect(hideUrlCredentials('http://alice:s3cret@127.0.0.1:4410/api answers HTTP 200')).toBe(
    'http://***@127.0.0.1:4410/api answers HTTP 200',
  );
  // A password with an @ of its own (not percent-encoded): hidden up to the host, none of it shown.
  expect(hideUrlCredentials('https://bob:p@ss@[::1]:8443/realms/x: no answer')).toBe(
    'https://***@[::1]:8443/realms/x: no answer',
  );
  expect(hideUrlCredentials('https://token@host/x and https://h2/y?u=a@b')).toBe(
    'https://***@host/x and https://h2/y?u=a@b',
  );
  expect(hideUrlCredentials('"ada@example.com" landed in the app at http://127.0.0.1:4410/')).toBe(
    '"ada@example.com" landed in the app at http://127.0.0.1:4410/',
  );
});
