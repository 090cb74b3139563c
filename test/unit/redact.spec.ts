import { expect, test } from '@playwright/test';
import { createRedactor, redactDeep } from '../../src/evidence/redact.ts';
import { renderTable } from '../../src/gate/render.ts';
import type { VerdictFile } from '../../src/schema/verdict.ts';

const redact = createRedactor(['s3cret-Passw0rd', 'client-secret-value']);

test('known secret values are removed wherever they appear', () => {
  expect(redact('typed s3cret-Passw0rd into #password')).toBe('typed [REDACTED] into #password');
  expect(redact('basic client-secret-value')).toBe('basic [REDACTED]');
});

test('OAuth codes, states and tokens in URLs are removed, the rest of the URL kept', () => {
  expect(redact('http://app/auth/callback?code=abc123&state=xyz&iss=http%3A%2F%2Fidp')).toBe(
    'http://app/auth/callback?code=[REDACTED]&state=[REDACTED]&iss=http%3A%2F%2Fidp',
  );
  expect(redact('https://idp/logout?id_token_hint=eyJhbGciOi.x.y')).toBe('https://idp/logout?id_token_hint=[REDACTED]');
});

test('bearer tokens, cookies, JWTs and credential fields are removed', () => {
  expect(redact('Authorization: Bearer abc.def.ghi')).toBe('Authorization: Bearer [REDACTED]');
  expect(redact('set-cookie: gpuaas_session=abcdef; HttpOnly')).toBe('set-cookie: [REDACTED]');
  expect(redact('token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXZhbHVl here')).toBe(
    'token [REDACTED] here',
  );
  expect(redact('{"password":"hunter2","user":"ada"}')).toBe('{"password":"[REDACTED]","user":"ada"}');
});

test('what command logs print: credential assignments, URL passwords, command-line credentials, keys, prefixed tokens', () => {
  expect(redact('DB_PASSWORD=hunter2x export GITHUB_TOKEN=abc AWS_SECRET_ACCESS_KEY = wJalrX/K7MD')).toBe(
    'DB_PASSWORD=[REDACTED] export GITHUB_TOKEN=[REDACTED] AWS_SECRET_ACCESS_KEY = [REDACTED]',
  );
  expect(redact('//registry.npmjs.org/:_authToken=npm_x')).toBe('//registry.npmjs.org/:_authToken=[REDACTED]');
  // A name that only contains the word is no credential's.
  expect(redact('token_endpoint=https://idp/token')).toBe('token_endpoint=https://idp/token');
  expect(redact('connect ECONNREFUSED postgres://deploy:pw99@db:5432/app')).toBe(
    'connect ECONNREFUSED postgres://deploy:[REDACTED]@db:5432/app',
  );
  expect(redact('see https://host/a:b@c and mailto:ada@example.com')).toBe(
    'see https://host/a:b@c and mailto:ada@example.com',
  );
  expect(redact('curl -u admin:S3cret https://x --password=abc --token xyz')).toBe(
    'curl -u admin:[REDACTED] https://x --password=[REDACTED] --token [REDACTED]',
  );
  expect(redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----')).toBe(
    '-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----',
  );
  expect(redact(`push ghp_${'a1B2c3'.repeat(6)} xoxb-1234567890-abcdef AKIAIOSFODNN7EXAMPLE`)).toBe(
    'push [REDACTED] [REDACTED] [REDACTED]',
  );
  expect(redact('the task-abcdefghijklmnopqrstuvwxyz1234 stays')).toBe('the task-abcdefghijklmnopqrstuvwxyz1234 stays');
});

test('redactDeep reaches every string in a JSON value', () => {
  expect(redactDeep({ a: ['s3cret-Passw0rd', 1], b: { c: 'x?code=1' } }, redact)).toEqual({
    a: ['[REDACTED]', 1],
    b: { c: 'x?code=[REDACTED]' },
  });
});

test.describe('every encoding of a known secret', () => {
  // A password with the characters each encoding changes: space, quote, backslash, slash, +, &, non-ASCII.
  const password = 'Pa ss"wo\\rd/ü+&1~';
  const redactPassword = createRedactor([password]);
  const leaks = (text: string) => redactPassword(text).includes('ss') || redactPassword(text).includes('wo');

  test('percent-encoded as in a URL (%20) and in a form body (+), in either hex case', () => {
    for (const form of [
      encodeURIComponent(password),
      encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, hex => hex.toLowerCase()),
      new URLSearchParams({ password }).toString().slice('password='.length),
    ])
      expect(redactPassword(`x?p=${form}&y=1`)).toBe('x?p=[REDACTED]&y=1');
  });

  test('JSON-escaped once (a trace event) and twice (a JSON body inside a trace)', () => {
    const once = JSON.stringify({ value: password });
    expect(redactPassword(once)).toBe('{"value":"[REDACTED]"}');
    const twice = JSON.stringify({ postData: { text: JSON.stringify({ pw: password }) } });
    expect(redactPassword(twice)).toBe('{"postData":{"text":"{\\"pw\\":\\"[REDACTED]\\"}"}}');
    const asciiOnly = JSON.stringify(password).replace(
      /[^\x20-\x7e]/g,
      c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(leaks(asciiOnly)).toBe(false);
  });

  test('base64 and base64url, alone and behind a prefix (HTTP Basic)', () => {
    for (const data of [password, `gpuaas-app:${password}`, `x${password}`, `xy${password}`]) {
      const bytes = Buffer.from(data, 'utf8');
      for (const encoded of [bytes.toString('base64'), bytes.toString('base64url')])
        expect(redactPassword(`Authorization: Basic ${encoded}`), data).not.toContain(encoded.slice(-8, -2));
    }
    const cookie = Buffer.from(JSON.stringify({ user: 'ada', pw: password })).toString('base64url');
    expect(redactPassword(`session=${cookie}; Path=/`)).toBe('session=[REDACTED]; Path=/');
  });

  test('HTML-escaped, as a page echoing the form back shows it', () => {
    const html = password.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    expect(redactPassword(`<p>you typed ${html}</p>`)).toBe('<p>you typed [REDACTED]</p>');
  });
});

test.describe('short secrets', () => {
  const shortRedact = createRedactor(['pw1', 'abc']);

  test('are removed where they are a whole value: typed, submitted, quoted or assigned', () => {
    expect(shortRedact('{"title":"Fill \\"pw1\\"","params":{"value":"pw1"}}')).toBe(
      '{"title":"Fill \\"[REDACTED]\\"","params":{"value":"[REDACTED]"}}',
    );
    expect(shortRedact('username=ada&pin=abc&next=/')).toBe('username=ada&pin=[REDACTED]&next=/');
    expect(shortRedact('PIN: abc')).toBe('PIN: [REDACTED]');
    expect(shortRedact("expect(received).toBe(expected)\nExpected: 'abc'")).toContain("Expected: '[REDACTED]'");
  });

  test('ordinary words that merely contain them survive', () => {
    expect(shortRedact('the abcd alphabet, abc and pw1x')).toBe('the abcd alphabet, abc and pw1x');
    expect(shortRedact('https://app/abc/pw1/shell')).toBe('https://app/abc/pw1/shell');
  });
});

test('a form body whose first field is the password', () => {
  expect(redact('password=hunter2&username=ada')).toBe('password=[REDACTED]&username=ada');
  expect(redact('{"postData":{"text":"client_secret=abc&grant_type=authorization_code"}}')).toBe(
    '{"postData":{"text":"client_secret=[REDACTED]&grant_type=authorization_code"}}',
  );
});

test('a JSON body inside a JSON string (a trace of a JSON post) loses its credential fields', () => {
  const har = JSON.stringify({ postData: { text: JSON.stringify({ username: 'ada', password: 'never-told' }) } });
  expect(redact(har)).toBe('{"postData":{"text":"{\\"username\\":\\"ada\\",\\"password\\":\\"[REDACTED]\\"}"}}');
});

test('headers whose name says credential: x-api-key, x-auth-token, session ids, in HAR and as text', () => {
  const har = JSON.stringify({
    headers: [
      { name: 'X-Api-Key', value: 'k-123456' },
      { name: 'x-auth-token', value: 't-123456' },
      { name: 'X-Session-Id', value: 's-123456' },
      { name: 'Accept', value: 'text/html' },
    ],
  });
  expect(JSON.parse(redact(har)).headers.map((h: { value: string }) => h.value)).toEqual([
    '[REDACTED]',
    '[REDACTED]',
    '[REDACTED]',
    'text/html',
  ]);
  expect(redact('GET /v1/me\nX-Api-Key: k-123456\nAccept: */*')).toBe('GET /v1/me\nX-Api-Key: [REDACTED]\nAccept: */*');
  expect(redact('X-Auth-Token: t-98765\nsession-id: s-4321')).toBe('X-Auth-Token: [REDACTED]\nsession-id: [REDACTED]');
});

test('a task id that names a credential word is not a header: its line is kept', () => {
  // A checkpoint's track, a handoff's line: `<task id>: <state>`.
  const lines = 'C-AUTH-GATE-001: ready\nC-DEPLOYED-AUTH-LOGIN-RELEASE-GATE-001: in_progress\nT-SESSION-7: parked';
  expect(redact(lines)).toBe(lines);
});

test('OAuth parameters percent-encoded inside another URL, as Playwright prints a goto or toHaveURL error', () => {
  const error =
    'page.goto: net::ERR_ABORTED at http://app/login?return_to=http%3A%2F%2Fapp%2Fcb%3Fcode%3Dq1w2e3%26state%3Dz9x8%26iss%3Didp';
  expect(redact(error)).toBe(
    'page.goto: net::ERR_ABORTED at http://app/login?return_to=http%3A%2F%2Fapp%2Fcb%3Fcode%3D[REDACTED]%26state%3D[REDACTED]%26iss%3Didp',
  );
});

test.describe('what a person typed into a password field, whatever its value', () => {
  test('DOM snapshots: the recorded value of a password input', () => {
    // The shape Playwright 1.65 records (from a real trace of the IdP's form).
    const snapshot = JSON.stringify({
      type: 'frame-snapshot',
      snapshot: {
        html: [
          'FORM',
          {},
          ['INPUT', { __playwright_value_: 'ada', id: 'username', name: 'username', type: 'text' }],
          ['INPUT', { __playwright_value_: 'typed-but-unknown', id: 'password', name: 'password', type: 'password' }],
          ['INPUT', { type: 'text', autocomplete: 'current-password', value: 'shown-by-toggle' }],
        ],
      },
    });
    const out = redact(snapshot);
    expect(out).not.toContain('typed-but-unknown');
    expect(out).not.toContain('shown-by-toggle');
    expect(out).toContain('"__playwright_value_":"ada"');
  });

  test('fill actions on a password field, in the context trace and the test steps', () => {
    const lines = [
      JSON.stringify({
        type: 'before',
        class: 'Frame',
        method: 'fill',
        params: { selector: '#password', value: 'unknown-pw' },
      }),
      JSON.stringify({
        type: 'before',
        class: 'Test',
        method: 'pw:api',
        title: 'Fill "unknown-pw"',
        subtitle: "locator('#password')",
        params: { locator: "locator('#password')", value: 'unknown-pw' },
      }),
      JSON.stringify({
        type: 'before',
        class: 'Frame',
        method: 'fill',
        params: { selector: '#username', value: 'ada' },
      }),
    ].join('\n');
    const out = redact(lines);
    expect(out).not.toContain('unknown-pw');
    expect(out).toContain('"title":"Fill \\"[REDACTED]\\""');
    expect(out).toContain('"selector":"#username","value":"ada"');
  });

  test('HTML a server rendered with a password value', () => {
    expect(redact('<input id="password" type="password" value="echoed-back">')).toBe(
      '<input id="password" type="password" value="[REDACTED]">',
    );
  });
});

test("the gate's printed table carries only what the redactor left", () => {
  const verdict = {
    headline: 'BLOCKED: local (dev): 1 blocking failure',
    packs: [
      {
        id: 'auth-session',
        policy: 'blocking',
        status: 'FAIL',
        tests: { total: 1, passed: 0 },
        missingTests: [],
        refusals: [],
        reason: 'expect(page).toHaveURL failed: Received "http://app/cb?code=q1w2e3r4&state=z9x8" with s3cret-Passw0rd',
      },
    ],
    excluded: [],
    problems: [{ severity: 'warning', message: 'x-api-key: k-123456' }],
    faults: [],
    environment: 'local',
  } as unknown as VerdictFile;
  const printed = renderTable(redactDeep(verdict, redact), 'gate-results');
  for (const secret of ['q1w2e3r4', 'z9x8', 's3cret-Passw0rd', 'k-123456']) expect(printed).not.toContain(secret);
});

test("a request context's post body, base64 in the trace, is redacted decoded", () => {
  const body = 'grant_type=refresh_token&refresh_token=never-told-rt-123&client_id=app';
  const event = JSON.stringify({ method: 'fetch', params: { postData: Buffer.from(body).toString('base64') } });
  const out = JSON.parse(redact(event)) as { params: { postData: string } };
  expect(Buffer.from(out.params.postData, 'base64').toString()).toBe(
    'grant_type=refresh_token&refresh_token=[REDACTED]&client_id=app',
  );
  // Base64 that is not text (an image, a hash) is left as it is.
  const image = JSON.stringify({
    binary: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 4, 5, 6, 7, 8]).toString('base64'),
  });
  expect(redact(image)).toBe(image);
});
