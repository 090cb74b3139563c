import { expect, test } from '@playwright/test';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { formatDiagnostic } from '../../src/diagnostics/format.ts';
import { hideUrlCredentials } from '../../src/diagnostics/url-credentials.ts';

/** env check's rows quote URLs; the user name and password a URL may carry are never among what they show. */
test('credentials in a URL are hidden whole, an @ in the password too; URLs without them and e-mail addresses stay as they are', () => {
  expect(hideUrlCredentials('http://alice:s3cret@127.0.0.1:4410/api answers HTTP 200')).toBe(
    'http://alice:***@127.0.0.1:4410/api answers HTTP 200',
  );
  // A password with an @ of its own (not percent-encoded): hidden up to the host, none of it shown.
  expect(hideUrlCredentials('https://bob:p@ss@[::1]:8443/realms/x: no answer')).toBe(
    'https://bob:***@[::1]:8443/realms/x: no answer',
  );
  expect(hideUrlCredentials('https://agent@host/x and https://h2/y?u=a:b@c')).toBe(
    'https://agent@host/x and https://h2/y?u=a:b@c',
  );
  expect(hideUrlCredentials('"ada@example.com" landed in the app at http://127.0.0.1:4410/')).toBe(
    '"ada@example.com" landed in the app at http://127.0.0.1:4410/',
  );
});

test("an error's message and every located problem hide them, not their hints' examples; a URL in a JSON string never reaches past its quote", () => {
  const json = JSON.stringify({ url: 'http://host', owner: 'ada@example.com', proxy: 'https://u:p@proxy:3128' });
  expect(hideUrlCredentials(json)).toBe(
    JSON.stringify({ url: 'http://host', owner: 'ada@example.com', proxy: 'https://u:***@proxy:3128' }),
  );
  // Hidden once is hidden: the store's own masking (root:***) stays as it is.
  expect(hideUrlCredentials('mysql://root:***@127.0.0.1:1/queue')).toBe('mysql://root:***@127.0.0.1:1/queue');
  const diagnostic = formatDiagnostic({
    severity: 'error',
    rule: 'url',
    file: 'environments/acme.yaml',
    line: 3,
    col: 5,
    path: 'urls.proxy',
    message: 'https://u:p@proxy:3128 does not answer',
    hint: 'write it as https://user:password@proxy:3128',
  });
  expect(diagnostic).toBe(
    'environments/acme.yaml:3:5 urls.proxy: https://u:***@proxy:3128 does not answer\n' +
      '  hint: write it as https://user:password@proxy:3128',
  );
  const error = new PackgateError('ENV_URL_INVALID', 'ftp://u:p@host is not http', { hint: 'e.g. https://u:pw@host' });
  expect(error.message).toBe('ftp://u:***@host is not http\n  hint: e.g. https://u:pw@host');
});
