import { expect, test } from '@playwright/test';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { formatDiagnostic } from '../../src/diagnostics/format.ts';
import { hideUrlCredentials } from '../../src/diagnostics/url-credentials.ts';

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

test('every --json answer and located problem hides them too, and a URL in a JSON string never reaches past its quote', () => {
  const json = JSON.stringify({ url: 'http://host', owner: 'ada@example.com', proxy: 'https://u:p@proxy:3128' });
  expect(hideUrlCredentials(json)).toBe(
    JSON.stringify({ url: 'http://host', owner: 'ada@example.com', proxy: 'https://***@proxy:3128' }),
  );
  const diagnostic = formatDiagnostic({
    severity: 'error',
    rule: 'url',
    file: 'environments/acme.yaml',
    line: 3,
    col: 5,
    path: 'urls.proxy',
    message: 'https://u:p@proxy:3128 does not answer',
    hint: 'check https://u:p@proxy:3128',
  });
  expect(diagnostic).toBe(
    'environments/acme.yaml:3:5 urls.proxy: https://***@proxy:3128 does not answer\n  hint: check https://***@proxy:3128',
  );
  const error = new PackgateError('ENV_URL_INVALID', 'ftp://u:p@host is not http', { hint: 'not ftp://u:p@host' });
  expect([error.message, error.hint]).toEqual([
    'ftp://***@host is not http\n  hint: not ftp://***@host',
    'not ftp://***@host',
  ]);
});
