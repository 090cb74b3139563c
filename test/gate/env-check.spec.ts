import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * `packgate env check <name>`: the preflight a team runs while writing a descriptor, here against
 * the reference stack started on its own as a deployment would be, through the demo descriptor.
 */

test('env check: ready when everything resolves, answers and signs in; each problem named; exit 0, 1, 2', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const project = await TempProject.create(testInfo);
  const password = `env-check-${Date.now()}`;
  const stack = await project.startStack({
    PACKGATE_LOCAL_USER_PASSWORD: password,
    PACKGATE_LOCAL_MEMBER_PASSWORD: `${password}-member`,
  });
  const demo = {
    PACKGATE_DEMO_APP_URL: project.env.PACKGATE_LOCAL_APP_URL,
    PACKGATE_DEMO_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
    PACKGATE_DEMO_USER_PASSWORD: password,
    PACKGATE_DEMO_MEMBER_PASSWORD: `${password}-member`,
    PACKGATE_ALLOW_HTTP: '1',
  };
  try {
    const ready = await project.packgate(['env', 'check', 'demo', '--json'], demo);
    expect(ready.exitCode, ready.output).toBe(0);
    const result = JSON.parse(ready.stdout) as PreflightResult & { ok: boolean };
    expect(result).toMatchObject({ ok: true, environment: 'demo', ready: true });
    const byCheck = new Map(result.checks.map(c => [c.check, c]));
    expect(byCheck.get('idp discovery')).toMatchObject({ ok: true });
    expect(byCheck.get('registered callback')).toMatchObject({ ok: true });
    // Every account a pack demo runs signs in as: the packs' identity and the second persona of
    // their refusals.
    expect(byCheck.get('sign in as ada')).toMatchObject({ ok: true });
    expect(byCheck.get('sign in as grace')).toMatchObject({ ok: true });
    expect(byCheck.get('secret member-password')).toMatchObject({ ok: true });
    expect(result.packs).toHaveLength(8);
    expect(result.packs.find(p => p.id === 'node-inventory')).toEqual({
      id: 'node-inventory',
      layers: ['remote'],
      policy: 'advisory',
    });
    expect(JSON.stringify(result), 'no secret in the output').not.toContain(password);

    // A wrong password, an API port nothing listens on, and the second account's password unset.
    const { PACKGATE_DEMO_MEMBER_PASSWORD: _unset, ...withoutMember } = demo;
    const broken = await project.packgate(['env', 'check', 'demo'], {
      ...withoutMember,
      PACKGATE_DEMO_USER_PASSWORD: 'not-the-password',
      PACKGATE_DEMO_API_URL: 'http://127.0.0.1:9',
    });
    expect(broken.exitCode, broken.output).toBe(1);
    expect(broken.stdout).toMatch(
      /^environment "demo" \(environments\/demo\.yaml\) is NOT READY: 3 of 13 checks fail\n/,
    );
    expect(broken.stdout).toMatch(/secret member-password +FAIL +PACKGATE_DEMO_MEMBER_PASSWORD is not set: set it\n/);
    // Its account is not tried without a password: the unset variable is named, once a failure.
    expect(broken.stdout).toMatch(
      /sign in as grace +- +not checked: PACKGATE_DEMO_MEMBER_PASSWORD is not set \(secret member-password, above\)\n/,
    );
    expect(broken.stdout).toMatch(/url api +FAIL +http:\/\/127\.0\.0\.1:9: connection refused: nothing listens there/);
    // The IdP does not say whether the name or the password is wrong: both are named where they are
    // set (before: its words alone, "Invalid username or password.").
    expect(broken.stdout).toContain(
      'sign in as ada          FAIL    "ada": sign-in failed at step "idp-accepted-credentials": ' +
        'the IdP refused the credentials of "ada": Invalid username or password.; so the IdP has no account "ada" ' +
        "(the seed's user name for persona ada) or PACKGATE_DEMO_USER_PASSWORD (secret user-password) is not its password\n",
    );
    expect(broken.stdout).not.toContain('not-the-password');

    // A login step whose field never shows: the IdP's page is named by its URL, the id of its
    // interaction (its cookie's value) redacted as in a gate's evidence.
    project.write({
      'environments/steps.yaml': project
        .read('environments/demo.yaml')
        .replace('name: demo', 'name: steps')
        .replace(
          'login: { driver: keycloak }',
          "login: { driver: steps, steps: [{ fill: '#username', with: username }, { fill: '#no-such-field', with: password }] }\n  step_timeout_s: 1",
        ),
    });
    const step = await project.packgate(['env', 'check', 'steps'], demo);
    expect(step.exitCode, step.output).toBe(1);
    expect(step.stdout).toMatch(
      /sign in as ada +FAIL +"ada": .*login step 2 of 2 \(fill #no-such-field with the password\): #no-such-field did not show within 1000 ms after the previous step; the page showed ".*" \(at http:\/\/127\.0\.0\.1:\d+\/realms\/gpuaas\/login-actions\/authenticate\/\[REDACTED\]\)/,
    );
    project.write({ 'environments/steps.yaml': null });

    // The IdP's own host under another name: reachable, but not its issuer.
    const renamed = await project.packgate(['env', 'check', 'demo', '--no-sign-in'], {
      ...demo,
      PACKGATE_DEMO_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL.replace('127.0.0.1', 'localhost'),
    });
    expect(renamed.exitCode, renamed.output).toBe(1);
    expect(renamed.stdout).toMatch(
      /idp discovery +FAIL +the IdP names issuer http:\/\/127\.0\.0\.1:\d+\/realms\/gpuaas, the descriptor http:\/\/localhost:\d+\/realms\/gpuaas: tokens would not validate/,
    );
    expect(renamed.stdout).toMatch(/sign in as ada +- +not checked \(--no-sign-in\)/);

    // A client id the IdP does not know: the app's own sign-ins pass, the authorization request
    // packgate sends is refused, and the row names the setting (before: the IdP's words alone).
    const client = await project.packgate(['env', 'check', 'demo', '--no-sign-in'], {
      ...demo,
      PACKGATE_DEMO_CLIENT_ID: 'gpuaas-ap',
    });
    expect(client.exitCode, client.output).toBe(1);
    expect(client.stdout).toMatch(
      /registered callback +FAIL +IdP refused redirect_uri http:\/\/127\.0\.0\.1:\d+\/auth\/callback for client gpuaas-ap \(HTTP 400\): Client not found\..*; check oidc\.client_id in environments\/demo\.yaml \(PACKGATE_DEMO_CLIENT_ID\) is the app's client id at the IdP\n/,
    );
  } finally {
    stack.kill('SIGTERM');
  }

  const unknown = await project.packgate(['env', 'check', 'nope']);
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toBe(
    'packgate: unknown environment "nope"\n' +
      '  hint: known environments: demo, local, parity, prod, staging; add environments/nope.yaml\n',
  );
  const near = await project.packgate(['env', 'check', 'dmeo']);
  expect(near.exitCode).toBe(2);
  expect(near.stderr).toBe('packgate: unknown environment "dmeo"\n  hint: did you mean "demo"?\n');

  // A new descriptor with nothing set yet: each unset variable is said once, in its own row.
  project.write({
    'environments/acme.yaml': [
      'schema_version: 1',
      'name: acme',
      'stage: demo',
      'kind: remote',
      'urls:',
      '  app: { env: ACME_APP_URL }',
      '  auth_issuer: { env: ACME_ISSUER_URL }',
      'oidc: { client_id: gpuaas-app, redirect_path: /auth/callback, login: { driver: keycloak } }',
      'secrets:',
      '  user-password: { env: ACME_USER_PASSWORD }',
      '  member-password: { env: ACME_MEMBER_PASSWORD }',
      'layers: [remote]',
      'seeds: [core]',
      'seed_strategy: verify',
      '',
    ].join('\n'),
  });
  const unset = await project.packgate(['env', 'check', 'acme', '--no-sign-in']);
  expect(unset.exitCode, unset.output).toBe(1);
  expect(unset.stdout).toMatch(/urls\.app +FAIL +ACME_APP_URL is not set and there is no default: set it\n/);
  expect(unset.stdout).toMatch(/descriptor resolves +FAIL +not until the failures above are fixed\n/);
  expect(unset.stdout.match(/ACME_APP_URL/g)).toHaveLength(1);
  // A variable set to a value the descriptor refuses fails its row with the reason (before: 'ok
  // ACME_APP_URL is set', the refusal said under 'descriptor resolves' alone).
  const plain = await project.packgate(['env', 'check', 'acme', '--no-sign-in'], {
    ACME_APP_URL: 'http://127.0.0.1:9',
    ACME_ISSUER_URL: 'https://127.0.0.1:9/realms/x',
  });
  expect(plain.exitCode, plain.output).toBe(1);
  expect(plain.stdout).toMatch(
    /urls\.app +FAIL +http:\/\/127\.0\.0\.1:9 \(from ACME_APP_URL\) is plain HTTP and stage demo requires https/,
  );
  expect(plain.stdout).toMatch(/descriptor resolves +FAIL +not until the failures above are fixed\n/);
});

test('env check on a deployment of its own shape: a wrong callback, login path or unmapped persona, each said with its setting', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const project = await TempProject.create(testInfo);
  const password = `env-check-shape-${Date.now()}`;
  const stack = await project.startStack({
    PACKGATE_LOCAL_USER_PASSWORD: password,
    PACKGATE_LOCAL_MEMBER_PASSWORD: password,
    PACKGATE_STACK_LOGIN_UI: 'identifier-first',
    PACKGATE_STACK_CALLBACK_PATH: '/oidc/return',
    PACKGATE_STACK_USERNAMES: 'ada=ada.lovelace,grace=grace.hopper',
  });
  // The app's callback is /oidc/return; the descriptor says /oidc/callback, and maps ada only.
  project.write({
    'environments/acme.yaml': [
      'schema_version: 1',
      'name: acme',
      'stage: dev',
      'kind: remote',
      'urls: { app: { env: ACME_APP_URL }, auth_issuer: { env: ACME_ISSUER_URL } }',
      'oidc:',
      '  client_id: gpuaas-app',
      '  redirect_path: /oidc/callback',
      '  login:',
      '    driver: steps',
      "    steps: [{ fill: '#username', with: username }, { click: '#kc-next' }, { fill: '#password', with: password }, { click: '#kc-login' }]",
      "    error: '#input-error'",
      'identities: { ada: { username: ada.lovelace } }',
      'secrets: { user-password: { env: ACME_PASSWORD }, member-password: { env: ACME_PASSWORD } }',
      'layers: [remote]',
      'seeds: [core]',
      'seed_strategy: verify',
      'allow_http: true',
      '',
    ].join('\n'),
  });
  try {
    const checked = await project.packgate(['env', 'check', 'acme'], {
      ACME_APP_URL: project.env.PACKGATE_LOCAL_APP_URL,
      ACME_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
      ACME_PASSWORD: password,
    });
    expect(checked.exitCode, checked.output).toBe(1);
    // Said when the browser comes back to the app's own callback, not after a step's timeout as
    // "reached neither the app's callback nor an IdP error".
    expect(checked.stdout).toMatch(
      /sign in as ada +FAIL +"ada\.lovelace": sign-in failed at step "app-accepted-callback": the IdP sent the browser to http:\/\/127\.0\.0\.1:\d+\/oidc\/return, the callback the app asked for \(its redirect_uri\), not the descriptor's http:\/\/127\.0\.0\.1:\d+\/oidc\/callback: set oidc\.redirect_path \(or redirect_uri\) in environments\/acme\.yaml to the app's callback\n/,
    );
    // The seed's user name was tried for the persona left out: the likely slip, said with what to add.
    expect(checked.stdout).toContain(
      'FAIL    "grace": sign-in failed at step "idp-accepted-credentials": the IdP refused the credentials of "grace": ' +
        'Invalid username or password. ("grace" is the seed\'s user name: identities: in environments/acme.yaml maps ada but not grace; ' +
        'add grace: { username: <its account here> }); so the IdP has no account "grace" (the seed\'s user name for persona grace) ' +
        'or ACME_PASSWORD (secret member-password) is not its password\n',
    );
    // The callback the descriptor names is not one the IdP registers for the client: said with both
    // ends to fix (before: the IdP's words alone).
    expect(checked.stdout).toMatch(
      /registered callback +FAIL +IdP refused redirect_uri http:\/\/127\.0\.0\.1:(\d+)\/oidc\/callback for client gpuaas-app \(HTTP 400\): .*; check the IdP registers http:\/\/127\.0\.0\.1:\1\/oidc\/callback as a redirect URI of client gpuaas-app, or set oidc\.redirect_path in environments\/acme\.yaml to the callback it registers\n/,
    );
    expect(checked.stdout).not.toContain(password);

    // A sign-in start the app does not serve: the setting to check is named.
    project.edit('environments/acme.yaml', text =>
      text.replace('redirect_path: /oidc/callback', 'redirect_path: /oidc/return\n  login_path: /signin'),
    );
    const start = await project.packgate(['env', 'check', 'acme'], {
      ACME_APP_URL: project.env.PACKGATE_LOCAL_APP_URL,
      ACME_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
      ACME_PASSWORD: password,
    });
    expect(start.exitCode, start.output).toBe(1);
    expect(start.stdout).toMatch(
      /sign in as ada +FAIL +"ada\.lovelace": sign-in failed at step "app-sent-to-idp": http:\/\/127\.0\.0\.1:\d+\/signin ended at http:\/\/127\.0\.0\.1:\d+\/signin \(HTTP 404\), not at the IdP http:\/\/127\.0\.0\.1:\d+: check oidc\.login_path in environments\/acme\.yaml is where the app starts its sign-in/,
    );

    // A mapped account's name is named by its field.
    project.edit('environments/acme.yaml', text => text.replace('\n  login_path: /signin', ''));
    const wrong = await project.packgate(['env', 'check', 'acme'], {
      ACME_APP_URL: project.env.PACKGATE_LOCAL_APP_URL,
      ACME_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
      ACME_PASSWORD: 'not-the-password',
    });
    expect(wrong.exitCode, wrong.output).toBe(1);
    expect(wrong.stdout).toContain(
      'Invalid username or password.; so the IdP has no account "ada.lovelace" (identities.ada.username in ' +
        'environments/acme.yaml) or ACME_PASSWORD (secret user-password) is not its password\n',
    );
  } finally {
    stack.kill('SIGTERM');
  }
});
