import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * What a platform team writing its first descriptor meets: files and values packgate would have read
 * otherwise than they meant, each refused by lint where it is written, exit 2.
 */

test('an environment written as .yml is said to be unread, with the name to give it; not "catalogue ok"', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.write({
    'environments/acme.yml': project.read('environments/demo.yaml').replace('name: demo', 'name: acme'),
    'environments/local.yml': 'name: local\n',
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/acme.yml:1:1 environments/acme.yml is not read: packgate reads environment files named *.yaml',
      '  hint: rename it to environments/acme.yaml',
      'environments/local.yml:1:1 environments/local.yml is not read: packgate reads environment files named *.yaml',
      '  hint: environments/local.yaml is the environment packgate reads: move what local.yml adds there, and remove local.yml',
      '',
      '2 errors in 2 files',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('a value written as a shell substitution is refused with the { env:, default: } it means, not taken as text', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text =>
    text
      .replace(
        'app: { env: PACKGATE_DEMO_APP_URL, default: "https://aicloud-demo-app.core42.dev" }',
        'app: "${ACME_APP_URL:-https://acme.example.com/gpuaas}"',
      )
      .replace('default: "https://aicloud-demo-auth.core42.dev/realms/gpuaas"', 'default: "${ACME_ISSUER_URL}"')
      .replace('client_id: { env: PACKGATE_DEMO_CLIENT_ID, default: gpuaas-app }', 'client_id: "${ACME_CLIENT_ID}"')
      .replace(
        'identity_check:',
        'identities:\n  ada: { username: $ACME_ADA_USERNAME, email: "${ADA_EMAIL:-${ACME_EMAIL}}" }\nidentity_check:',
      ),
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/demo.yaml:10:8 urls.app: "${ACME_APP_URL:-https://acme.example.com/gpuaas}" is taken as it is written: packgate expands no $VAR or ${VAR}',
      '  hint: write { env: ACME_APP_URL, default: "https://acme.example.com/gpuaas" } to read ACME_APP_URL',
      'environments/demo.yaml:13:58 urls.auth_issuer.default: "${ACME_ISSUER_URL}" is taken as it is written: packgate expands no $VAR or ${VAR}',
      '  hint: write the default as a literal value: a value reads one env var',
      'environments/demo.yaml:15:14 oidc.client_id: "${ACME_CLIENT_ID}" is taken as it is written: packgate expands no $VAR or ${VAR}',
      '  hint: write { env: ACME_CLIENT_ID } to read ACME_CLIENT_ID',
      'environments/demo.yaml:20:20 identities.ada.username: "$ACME_ADA_USERNAME" is taken as it is written: packgate expands no $VAR or ${VAR}',
      '  hint: write { env: ACME_ADA_USERNAME } to read ACME_ADA_USERNAME',
      'environments/demo.yaml:20:47 identities.ada.email: "${ADA_EMAIL:-${ACME_EMAIL}}" is taken as it is written: packgate expands no $VAR or ${VAR}',
      '  hint: read an env var as { env: VAR_NAME, default: <a literal value> }: a value reads one env var',
      '',
      '5 errors in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('a URL written with a query or fragment is refused where it is written; a redirect URI may have a query', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text =>
    text
      .replace('default: "https://aicloud-demo-app.core42.dev"', 'default: "https://acme.example/#/"')
      .replace('  redirect_path: /auth/callback', '  redirect_uri: "https://acme.example/auth/callback?from=idp#done"'),
  );
  project.edit('environments/staging.yaml', text =>
    text.replace('  redirect_path: /auth/callback', '  redirect_uri: "https://acme.example/auth/callback?from=idp"'),
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/demo.yaml:10:47 urls.app.default: "https://acme.example/#/" has a fragment ("#/"), which would come before every path put on it',
      '  hint: write it without: https://acme.example/',
      'environments/demo.yaml:16:17 oidc.redirect_uri: "https://acme.example/auth/callback?from=idp#done" has a fragment ("#done"), which a redirect URI may not have',
      '  hint: write it without: https://acme.example/auth/callback?from=idp',
      '',
      '2 errors in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

/**
 * A numeric client id or user name (an employee number) written bare is a number to YAML. Before,
 * "number 123456 is not any of the accepted forms" with a pointer to the JSON schema; now the hint
 * says to quote it.
 */
test('a client id or user name YAML reads as a number is refused with the quoted text it means', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text =>
    text
      .replace('client_id: { env: PACKGATE_DEMO_CLIENT_ID, default: gpuaas-app }', 'client_id: 123456')
      .replace('secrets:', 'identities:\n  ada: { username: 1042 }\nsecrets:'),
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/demo.yaml:15:14 oidc.client_id: number 123456 is not any of the accepted forms',
      '  hint: YAML reads 123456 as a number: for the text, quote it, "123456"',
      'environments/demo.yaml:21:20 identities.ada.username: number 1042 is not any of the accepted forms',
      '  hint: YAML reads 1042 as a number: for the text, quote it, "1042"',
      '',
      '2 errors in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('an environment that runs no pack is a warning saying why, not "catalogue ok"', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const packs = fs.readdirSync(path.join(project.dir, 'packs')).filter(name => !name.startsWith('.'));
  project.write({
    'environments/acme.yaml':
      project.read('environments/staging.yaml').replace('name: staging', 'name: acme') +
      `packs:\n  exclude:\n${packs.map(id => `    - { pack: ${id}, reason: not deployed here }\n`).join('')}`,
  });
  const result = await project.packgate(['lint']);
  // Before: "catalogue ok", and its projects were "not found" with nothing said of why.
  expect(result.stdout).toContain(
    `environments/acme.yaml:6:8 stage: warning: environment acme runs no pack: packs.exclude leaves none of the ${packs.length} ` +
      'its stage "staging" runs, and packs.include adds none\n' +
      "  hint: name stage staging in a pack's policy, add one under packs.include, or remove environments/acme.yaml\n",
  );
  expect(result.exitCode, result.output).toBe(0);
});

test('a secret written as its value is refused with what to write instead, and the value is not printed back', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/staging.yaml', text =>
    text.replace('user-password: { env: PACKGATE_STAGING_USER_PASSWORD }', 'user-password: "Hunter2!staging"'),
  );
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  // Before: 'expected object, got "Hunter2!staging"': the password in every lint's output, CI logs too.
  expect(result.output).not.toContain('Hunter2');
  expect(result.stdout).toMatch(
    /^environments\/staging\.yaml:\d+:\d+ secrets\.user-password: a secret is never written in the descriptor: name the env var that holds it, \{ env: NAME \}$/m,
  );
  const json = await project.packgate(['lint', '--json']);
  expect(json.stdout).not.toContain('Hunter2');
});
