import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePorts } from '../helpers/ports.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * The promise to a platform team: describe your deployment in one file and run the packs against it.
 * The reference stack is started in a shape unlike its own descriptor's, as another team's
 * deployment would be: an identifier-first IdP with a "Continue" page after the password, other
 * callback and sign-in paths, `localhost` and other ports, other account names for the same
 * personas, no identity on the app's pages (only its API says who is signed in), and another
 * correlation header. One new descriptor, and nothing else, makes every pack pass against it.
 */

/** What the run itself writes; everything else in the project is compared. */
const OUTPUTS = new Set([
  'gate-results',
  'test-results',
  'playwright-report',
  'blob-report',
  '.packgate',
  'node_modules',
]);

/** Every file of the project but its outputs, with a digest of its content. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const file = path.join(rel, entry.name);
      if (!rel && OUTPUTS.has(entry.name)) continue;
      if (entry.isDirectory()) walk(file);
      else
        out.set(
          file,
          createHash('sha256')
            .update(fs.readFileSync(path.join(dir, file)))
            .digest('hex'),
        );
    }
  };
  walk('');
  return out;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter(name => before.get(name) !== after.get(name)).sort();
}

const DESCRIPTOR = `# yaml-language-server: $schema=../schemas/environment.schema.json
# A deployment shaped unlike the reference stack's own descriptor.
schema_version: 1
name: acme
stage: demo
kind: remote
urls:
  app: { env: ACME_APP_URL }
  api: { env: ACME_API_URL }
  auth_issuer: { env: ACME_ISSUER_URL }
oidc:
  client_id: gpuaas-app
  redirect_path: /oidc/return
  login_path: /signin
  login:
    driver: steps
    steps:
      - { fill: '#username', with: username }
      - { click: '#kc-next' }
      - { fill: '#password', with: password }
      - { click: '#kc-login' }
      - { click: '#kc-continue', optional: true }
    error: '#input-error, #kc-error-message'
# The deployment's test accounts for the seed personas.
identities:
  ada: { username: { env: ACME_ADA_USERNAME, default: ada.lovelace } }
  grace: { username: grace.hopper }
# The app's pages do not say who is signed in; its API does.
identity_check: { api: { base: api, path: /v1/me }, field: username }
correlation_headers: [x-request-ref]
secrets:
  user-password: { env: ACME_USER_PASSWORD }
  member-password: { env: ACME_MEMBER_PASSWORD }
layers: [remote]
seeds: [core]
seed_strategy: verify
`;

test('one new descriptor points every pack at a deployment shaped unlike the reference stack', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const project = await TempProject.create(testInfo);
  const before = snapshot(project.dir);
  const [app, api, idp] = await freePorts(3);
  const urls = {
    app: `http://localhost:${app}`,
    api: `http://localhost:${api}`,
    issuer: `http://localhost:${idp}/realms/gpuaas`,
  };
  const passwords = { ada: `acme-ada-${Date.now()}`, grace: `acme-grace-${Date.now()}` };

  const stack = await project.startStack({
    PACKGATE_LOCAL_APP_URL: urls.app,
    PACKGATE_LOCAL_API_URL: urls.api,
    PACKGATE_LOCAL_ISSUER_URL: urls.issuer,
    PACKGATE_LOCAL_USER_PASSWORD: passwords.ada,
    PACKGATE_LOCAL_MEMBER_PASSWORD: passwords.grace,
    PACKGATE_STACK_LOGIN_UI: 'identifier-first+interstitial',
    PACKGATE_STACK_LOGIN_PATH: '/signin',
    PACKGATE_STACK_CALLBACK_PATH: '/oidc/return',
    PACKGATE_STACK_USERNAMES: 'ada=ada.lovelace,grace=grace.hopper',
    PACKGATE_STACK_SHELL_IDENTITY: 'hidden',
    PACKGATE_STACK_CORRELATION_HEADER: 'x-request-ref',
  });
  try {
    project.write({ 'environments/acme.yaml': DESCRIPTOR });
    const result = await project.playwright(['--project=acme-remote'], {
      ACME_APP_URL: urls.app,
      ACME_API_URL: urls.api,
      ACME_ISSUER_URL: urls.issuer,
      ACME_USER_PASSWORD: passwords.ada,
      ACME_MEMBER_PASSWORD: passwords.grace,
      PACKGATE_ALLOW_HTTP: '1',
    });
    expect(result.exitCode, result.output).toBe(0);
    const verdict = project.verdict();
    expect(verdict).toMatchObject({ environment: 'acme', stage: 'demo', projects: ['acme-remote'], complete: true });
    expect(verdict.packs.map(p => p.id)).toHaveLength(8);
    for (const pack of verdict.packs)
      expect(pack, `${pack.id}: ${pack.reason}`).toMatchObject({ status: 'PASS', layers: ['remote'] });
    // Only the plain-HTTP allowance (for this test) keeps it from a clean PASS.
    expect(verdict.problems.map(p => p.message)).toEqual([
      expect.stringMatching(/^PACKGATE_ALLOW_HTTP=1: plain-HTTP URLs were accepted for stage demo/),
    ]);
    // The correlation ids came back in the deployment's header, and the sign-in went through its pages.
    expect(verdict.packs.find(p => p.id === 'platform-proxy')!.evidence.correlationIds.length).toBeGreaterThan(0);
    expect(changedFiles(before, snapshot(project.dir))).toEqual(['environments/acme.yaml']);
  } finally {
    stack.kill('SIGTERM');
  }
});

test('where the app shows the signed-in user nowhere, the identity check is listed as not applicable', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/local.yaml', text => text.replace(/^identity_check: .*$/m, 'identity_check: none'));
  const result = await project.playwright(['--project=local-browser', 'packs/auth-session/']);
  expect(result.exitCode, result.output).toBe(0);
  const pack = project.verdict().packs.find(p => p.id === 'auth-session')!;
  expect(pack.status).toBe('PASS');
  expect(pack.notApplicable).toEqual([
    'identity check: the app of environment "local" shows the signed-in user nowhere (identity_check: none in environments/local.yaml)',
  ]);
  expect(pack.reason).toContain('; not applicable here: identity check:');
  expect(project.read('gate-results/summary.md')).toContain('not applicable here: identity check');
});

/** A verify environment for the temp project's stack: seed data must already be there. */
const VERIFY_DESCRIPTOR = (identities: string) => `schema_version: 1
name: acme
stage: demo
kind: remote
urls:
  app: { env: ACME_APP_URL }
  api: { env: ACME_API_URL }
  auth_issuer: { env: ACME_ISSUER_URL }
oidc:
  client_id: gpuaas-app
  login: { driver: keycloak }
identity_check: { selector: '[data-testid=user-identity]' }
${identities}secrets:
  user-password: { env: ACME_USER_PASSWORD }
  member-password: { env: ACME_MEMBER_PASSWORD }
layers: [remote]
seeds: [core]
seed_strategy: verify
seed_check:
  nodes: { api: { base: api, path: /v1/nodes }, items: nodes }
`;

test('in a verify environment, a missing account or record is named once and the packs that need it are NOT_RUN', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const project = await TempProject.create(testInfo);
  const password = `verify-${Date.now()}`;
  const env = {
    ACME_APP_URL: project.env.PACKGATE_LOCAL_APP_URL,
    ACME_API_URL: project.env.PACKGATE_LOCAL_API_URL,
    ACME_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
    ACME_USER_PASSWORD: password,
    ACME_MEMBER_PASSWORD: password,
    PACKGATE_ALLOW_HTTP: '1',
  };
  // The stand-in deployment lacks one node the seeds list.
  const stack = await project.startStack({
    PACKGATE_LOCAL_USER_PASSWORD: password,
    PACKGATE_LOCAL_MEMBER_PASSWORD: password,
    PACKGATE_STACK_WITHOUT: 'nodes/gpu-node-03',
  });
  try {
    // 1. The persona the packs sign in as is mapped to an account the deployment does not have.
    project.write({ 'environments/acme.yaml': VERIFY_DESCRIPTOR('identities:\n  ada: { username: ada.gone }\n') });
    const noAccount = await project.playwright(['--project=acme-remote'], env);
    expect(noAccount.exitCode, noAccount.output).toBe(1);
    const account = project.verdict();
    const accountReason =
      'not run: seed check: persona "ada" cannot sign in to environment "acme" as "ada.gone": the IdP refused its credentials, ' +
      'so the account is missing or ACME_USER_PASSWORD is wrong';
    const signingIn = account.packs.filter(p => p.reason.startsWith('not run: seed check'));
    expect(signingIn.map(p => p.id).sort()).toEqual([
      'app-launch',
      'auth-session',
      'node-inventory',
      'notebook-proxy',
      'terminal',
      'v3-shell',
    ]);
    for (const pack of signingIn) {
      expect(pack, pack.id).toMatchObject({ status: 'NOT_RUN', reason: accountReason });
      expect(pack.tests.failed, `${pack.id}: not run, rather than failed`).toBe(0);
      // Its refusals whose tests the seed check kept from running are not run, saying why, never "not
      // applicable" as if the deployment had no such account (a test as another persona may still run).
      for (const refusal of pack.refusals.filter(r => r.status !== 'proven'))
        expect(refusal, `${pack.id}/${refusal.id}`).toMatchObject(
          refusal.tests.length
            ? { status: 'not-run', why: accountReason.replace('not run: ', '') }
            : { status: 'not-applicable', why: 'no test of it runs at the layers run here (remote)' },
        );
    }
    for (const pack of account.packs.filter(p => !signingIn.includes(p)))
      expect(pack, `${pack.id}: ${pack.reason}`).toMatchObject({ status: 'PASS' });

    // 2. The account is there; a node the node-inventory pack reads is not. That pack only advises
    // on demo: the run warns, naming it.
    project.write({ 'environments/acme.yaml': VERIFY_DESCRIPTOR('') });
    const noNode = await project.playwright(['--project=acme-remote'], env);
    expect(noNode.exitCode, noNode.output).toBe(0);
    const node = project.verdict();
    expect(node.verdict).toBe('PASS_WITH_WARNINGS');
    expect(node.packs.find(p => p.id === 'node-inventory')).toMatchObject({
      status: 'NOT_RUN',
      policy: 'advisory',
      reason: expect.stringMatching(
        /^not run: seed check: nodes "gpu-node-03" is not in environment "acme" \(http:\/\/127\.0\.0\.1:\d+\/v1\/nodes lists 2: gpu-node-01, gpu-node-02\)$/,
      ),
      tests: expect.objectContaining({ failed: 0 }),
    });
    for (const pack of node.packs.filter(p => p.id !== 'node-inventory'))
      expect(pack, `${pack.id}: ${pack.reason}`).toMatchObject({ status: 'PASS' });
  } finally {
    stack.kill('SIGTERM');
  }
});

test('a reverse proxy signs in for the app, one test account: the sign-in starts at a protected page and lands back on it', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const project = await TempProject.create(testInfo);
  const password = `proxy-${Date.now()}`;
  // The app has no sign-in page of its own: /login answers 404, and any protected page starts the sign-in.
  const stack = await project.startStack({
    PACKGATE_LOCAL_USER_PASSWORD: password,
    PACKGATE_LOCAL_MEMBER_PASSWORD: password,
    PACKGATE_STACK_SIGN_IN: 'proxy',
  });
  try {
    const app = project.env.PACKGATE_LOCAL_APP_URL;
    expect((await fetch(`${app}/login`, { redirect: 'manual' })).status, 'the app serves no sign-in page').toBe(404);
    const descriptor = VERIFY_DESCRIPTOR('').replace(
      '  login: { driver: keycloak }\n',
      '  login: { driver: keycloak }\n  # Any protected page starts the sign-in in front of the app.\n  login_path: /shell/apps\n',
    );
    const acme = {
      ACME_APP_URL: app,
      ACME_API_URL: project.env.PACKGATE_LOCAL_API_URL,
      ACME_ISSUER_URL: project.env.PACKGATE_LOCAL_ISSUER_URL,
      ACME_USER_PASSWORD: password,
      PACKGATE_ALLOW_HTTP: '1',
    };
    // The second persona's secret named, its env var not set: a gap in the run's secrets, not a
    // deployment without the account. Its checks fail, naming the variable; nothing passes silently.
    project.write({ 'environments/acme.yaml': descriptor });
    const unset = await project.playwright(['--project=acme-remote', 'packs/v3-shell/'], acme);
    expect(unset.exitCode, unset.output).toBe(1);
    const shell = project.verdict().packs.find(p => p.id === 'v3-shell')!;
    expect(shell.blocks).toBe(true);
    expect(shell.reason).toContain('secret "member-password" of environment "acme" is not available');
    expect(shell.refusals.find(r => r.id === 'foreign-tenant')).toMatchObject({ status: 'failed' });
    expect(unset.output).toContain('set the env var ACME_MEMBER_PASSWORD');

    // One test account, said in the descriptor: the second persona's checks are not applicable here.
    project.write({
      'environments/acme.yaml': descriptor.replace('secrets:\n', 'no_account_for: [grace]\nsecrets:\n'),
    });
    const result = await project.playwright(['--project=acme-remote'], acme);
    expect(result.exitCode, result.output).toBe(0);
    const verdict = project.verdict();
    for (const pack of verdict.packs) expect(pack, `${pack.id}: ${pack.reason}`).toMatchObject({ status: 'PASS' });
    expect(verdict.packs.map(p => p.id)).toHaveLength(8);
    // The refusals the second persona proves are listed as not applicable, never as proven; so are
    // those whose tests run at no layer this environment runs.
    const unproven = verdict.packs.flatMap(p => p.refusals.filter(r => r.status !== 'proven'));
    for (const refusal of unproven) expect(refusal.status, refusal.id).toBe('not-applicable');
    expect(unproven.filter(r => r.why === 'persona grace has no account in environment acme').length).toBeGreaterThan(
      0,
    );
    expect(
      unproven.every(r =>
        [
          'persona grace has no account in environment acme',
          'no test of it runs at the layers run here (remote)',
        ].includes(r.why!),
      ),
    ).toBe(true);
  } finally {
    stack.kill('SIGTERM');
  }
});
