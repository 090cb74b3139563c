import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { resolveEnvironment } from '../../src/environment/resolve.ts';
import { REPO } from '../helpers/temp-project.ts';

const catalogue = loadCatalogueOrThrow(REPO);

test('deployed URLs default to the descriptor and move with the env vars it names', () => {
  const demo = resolveEnvironment(catalogue, 'demo', {});
  expect(demo.urls.app).toBe('https://aicloud-demo-app.core42.dev');
  expect(demo.oidc.redirectUri).toBe('https://aicloud-demo-app.core42.dev/auth/callback');
  const moved = resolveEnvironment(catalogue, 'demo', {
    PACKGATE_DEMO_APP_URL: 'https://other.example/',
    PACKGATE_DEMO_CLIENT_ID: 'other-client',
  });
  expect(moved.urls.app).toBe('https://other.example');
  expect(moved.oidc.redirectUri).toBe('https://other.example/auth/callback');
  expect(moved.oidc.clientId).toBe('other-client');
  // The issuer is an identifier: kept as written, its slash too (Auth0's); its paths go on it without.
  const auth0 = resolveEnvironment(catalogue, 'demo', { PACKGATE_DEMO_ISSUER_URL: 'https://tenant.auth0.example/' });
  expect([auth0.oidc.issuer, auth0.urls.authIssuer]).toEqual([
    'https://tenant.auth0.example/',
    'https://tenant.auth0.example',
  ]);
});

test('a release stage refuses plain HTTP unless PACKGATE_ALLOW_HTTP=1, which is recorded', () => {
  const env = { PACKGATE_DEMO_APP_URL: 'http://127.0.0.1:4410' };
  // Where the field is, and the variable that gave the value: what to correct.
  expect(() => resolveEnvironment(catalogue, 'demo', env)).toThrow(
    /environments\/demo\.yaml:\d+ urls\.app: http:\/\/127\.0\.0\.1:4410 \(from PACKGATE_DEMO_APP_URL\) is plain HTTP and stage demo requires https/,
  );
  // A URL's credentials are never in the refusal, whoever prints it (before: "http://agent:s3cret@...").
  expect(() =>
    resolveEnvironment(catalogue, 'demo', { PACKGATE_DEMO_APP_URL: 'http://agent:s3cret@127.0.0.1:4410' }),
  ).toThrow(/urls\.app: http:\/\/agent:\*\*\*@127\.0\.0\.1:4410 \(from PACKGATE_DEMO_APP_URL\) is plain HTTP/);
  // A URL given as a path on the app's: checked once, said once.
  const problems = (() => {
    try {
      resolveEnvironment(catalogue, 'demo', { PACKGATE_DEMO_API_URL: 'not a url' });
    } catch (e) {
      return (e as Error).message;
    }
  })();
  expect(problems?.match(/urls\.api/g)).toHaveLength(1);
  expect(problems).toMatch(
    /environments\/demo\.yaml:\d+ urls\.api: "not a url" \(from PACKGATE_DEMO_API_URL\) is not a URL/,
  );
  // A stack's probe, as every other URL: its line, and the variable it came from.
  expect(() => resolveEnvironment(catalogue, 'parity', { PACKGATE_PARITY_PROBE_URL: 'not-a-url' })).toThrow(
    /environments\/parity\.yaml:\d+ stack\.ready_url: "not-a-url" \(from PACKGATE_PARITY_PROBE_URL\) is not a URL/,
  );
  const allowed = resolveEnvironment(catalogue, 'demo', { ...env, PACKGATE_ALLOW_HTTP: '1' });
  expect(allowed.insecureOverride).toBe(true);
});

test('a URL without its scheme, or with a misspelt one, is refused where it is set, not reached as one', () => {
  // Before: "localhost:4410" resolved (a URL of scheme "localhost:", so not plain HTTP either), and
  // each test failed on 'Protocol "localhost:" not supported'.
  const message = (() => {
    try {
      resolveEnvironment(catalogue, 'demo', {
        PACKGATE_DEMO_APP_URL: 'localhost:4410',
        PACKGATE_DEMO_ISSUER_URL: 'htps://idp.example/realms/gpuaas',
        PACKGATE_DEMO_API_URL: 'htp:/api.example',
      });
    } catch (e) {
      return (e as PackgateError).message;
    }
  })();
  expect(message).toMatch(
    /environments\/demo\.yaml:\d+ urls\.app: "localhost:4410" \(from PACKGATE_DEMO_APP_URL\) is not an http\(s\) URL; write it with its scheme: https:\/\/localhost:4410\n/,
  );
  expect(message).toMatch(
    /environments\/demo\.yaml:\d+ urls\.auth_issuer: "htps:\/\/idp\.example\/realms\/gpuaas" \(from PACKGATE_DEMO_ISSUER_URL\) is not an http\(s\) URL; write it with https:\/\/ \(or http:\/\/\)$/m,
  );
  expect(message).toMatch(
    /urls\.api: "htp:\/api\.example" \(from PACKGATE_DEMO_API_URL\) is not an http\(s\) URL; write it with https:\/\/ \(or http:\/\/\)$/m,
  );
});

test("a stack's probe URL without its scheme is refused where it is set, as the other URLs are", () => {
  // Before: "localhost:4429" parsed (a URL of scheme "localhost:") and the run waited out the stack's
  // start_timeout_s probing it in vain.
  expect(() => resolveEnvironment(catalogue, 'parity', { PACKGATE_PARITY_PROBE_URL: 'localhost:4429' })).toThrow(
    /environments\/parity\.yaml:\d+ stack\.ready_url: "localhost:4429" \(from PACKGATE_PARITY_PROBE_URL\) is not an http\(s\) URL; write it with its scheme: http:\/\/localhost:4429/,
  );
});

test('secrets come only from their env var on release stages, with the var named when missing', () => {
  const demo = resolveEnvironment(catalogue, 'demo', {});
  const error = (() => {
    try {
      demo.secrets.get('user-password');
    } catch (e) {
      return e as PackgateError;
    }
  })();
  expect(error?.code).toBe('SECRET_MISSING');
  expect(error?.message).toContain('set the env var PACKGATE_DEMO_USER_PASSWORD');
  expect(
    resolveEnvironment(catalogue, 'demo', { PACKGATE_DEMO_USER_PASSWORD: 'from-env' }).secrets.get('user-password'),
  ).toBe('from-env');
});

test('an unknown environment names the nearest one, else the known ones', () => {
  expect(() => resolveEnvironment(catalogue, 'dmeo', {})).toThrow(
    /unknown environment "dmeo"\n {2}hint: did you mean "demo"\?/,
  );
  expect(() => resolveEnvironment(catalogue, 'moon', {})).toThrow(
    /unknown environment "moon"[\s\S]*known environments: demo, local, parity, prod, staging/,
  );
  // Its file given for its name: the name, not a file to add (environments/environments/demo.yaml.yaml).
  for (const given of ['environments/demo.yaml', 'demo.yaml', './environments/demo.yml'])
    expect(() => resolveEnvironment(catalogue, given, {}), given).toThrow(
      `unknown environment "${given}"\n  hint: did you mean "demo"? an environment is named by its name, not its file`,
    );
  expect(() => resolveEnvironment(catalogue, 'environments/moon.yaml', {})).toThrow(
    /known environments: demo, local, parity, prod, staging; add environments\/moon\.yaml$/,
  );
});

test('a URL written as a path is on the app URL, and moves with it', () => {
  const demo = resolveEnvironment(catalogue, 'demo', {});
  expect(demo.urls.api).toBe('https://aicloud-demo-app.core42.dev/api');
  const moved = resolveEnvironment(catalogue, 'demo', { PACKGATE_DEMO_APP_URL: 'https://other.example' });
  expect(moved.urls.api).toBe('https://other.example/api');
  const own = resolveEnvironment(catalogue, 'demo', { PACKGATE_DEMO_API_URL: 'https://api.other.example' });
  expect(own.urls.api).toBe('https://api.other.example');
  const local = resolveEnvironment(catalogue, 'local', { PACKGATE_LOCAL_APP_URL: 'http://127.0.0.1:5000' });
  expect(local.urls.accessLog).toBe('http://127.0.0.1:5000/__stack/access-log');
});

test('a value read from an env var ending in a line break (a Secret made with echo, $(cat file)) is read without it', () => {
  // Before: the line break went into every URL built on the app's (https://acme.example/\n/api) and
  // into the redirect URI the IdP was asked to accept, which it refused as unregistered.
  const demo = resolveEnvironment(catalogue, 'demo', {
    PACKGATE_DEMO_APP_URL: 'https://acme.example/gpuaas/\n',
    PACKGATE_DEMO_ISSUER_URL: ' https://idp.acme.example/realms/gpuaas\r\n',
    PACKGATE_DEMO_CLIENT_ID: 'gpuaas-app\n',
  });
  expect(demo.urls.app).toBe('https://acme.example/gpuaas');
  expect(demo.urls.api).toBe('https://acme.example/gpuaas/api');
  expect(demo.urls.authIssuer).toBe('https://idp.acme.example/realms/gpuaas');
  expect(demo.oidc.redirectUri).toBe('https://acme.example/gpuaas/auth/callback');
  expect(demo.oidc.clientId).toBe('gpuaas-app');
  // Nothing but a line break is no value: the default, as for an unset variable.
  expect(resolveEnvironment(catalogue, 'demo', { PACKGATE_DEMO_APP_URL: '\n' }).urls.app).toBe(
    'https://aicloud-demo-app.core42.dev',
  );
});

test("a URL with a query or fragment paths would follow is refused, as is a redirect URI's fragment", () => {
  // Before: https://acme.example/#/ (an app routing by hash, copied from the address bar) resolved,
  // and the sign-in started at https://acme.example/#/login, a route of the page.
  const message = (() => {
    try {
      resolveEnvironment(catalogue, 'demo', {
        PACKGATE_DEMO_APP_URL: 'https://acme.example/#/',
        PACKGATE_DEMO_ISSUER_URL: 'https://idp.acme.example/realms/gpuaas?kc_idp_hint=corp',
      });
    } catch (e) {
      return (e as PackgateError).message;
    }
  })();
  expect(message).toMatch(
    /environments\/demo\.yaml:\d+ urls\.app: "https:\/\/acme\.example\/#\/" \(from PACKGATE_DEMO_APP_URL\) has a fragment \("#\/"\), which would come before every path put on it; write it without: https:\/\/acme\.example\/\n/,
  );
  expect(message).toMatch(
    /urls\.auth_issuer: "https:\/\/idp\.acme\.example\/realms\/gpuaas\?kc_idp_hint=corp" \(from PACKGATE_DEMO_ISSUER_URL\) has a query \("\?kc_idp_hint=corp"\)/,
  );
});

test('a variable set but empty (a CI secret the job cannot read) is said to be empty, not "not set"', () => {
  // Before: "PACKGATE_DEMO_USER_PASSWORD is not set", for a variable the workflow sets (to a secret a
  // fork's pull request cannot read, which is empty).
  const demo = resolveEnvironment(catalogue, 'demo', { PACKGATE_DEMO_USER_PASSWORD: '' });
  expect(() => demo.secrets.get('user-password')).toThrow(
    'hint: PACKGATE_DEMO_USER_PASSWORD is set but empty (a CI secret the job cannot read is empty): ' +
      "give it the secret's value",
  );
  const located = catalogue.environments.get('demo')!;
  const noDefault = {
    ...catalogue,
    environments: new Map([
      [
        'demo',
        { ...located, value: { ...located.value, urls: { ...located.value.urls, app: { env: 'ACME_APP_URL' } } } },
      ],
    ]),
  };
  expect(() => resolveEnvironment(noDefault, 'demo', { ACME_APP_URL: '' })).toThrow(
    /urls\.app: ACME_APP_URL is set but empty \(a CI secret the job cannot read is empty\) and there is no default; set ACME_APP_URL/,
  );
  // And a variable not there at all, as before.
  expect(() => resolveEnvironment(noDefault, 'demo', {})).toThrow(
    /urls\.app: ACME_APP_URL is not set and there is no default; set ACME_APP_URL/,
  );
});
