import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

test("packgate tests: current manifests exit 0; a new test makes its pack's stale, --update makes it current", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const current = await project.packgate(['tests']);
  expect(current.exitCode, current.output).toBe(0);
  expect(current.stdout).toContain(
    'packs/auth-session/tests.yaml: current (idp-contract.spec.ts 3, api.spec.ts 6, browser.spec.ts 1, parity.spec.ts 1)',
  );

  project.edit(
    'packs/platform-proxy/api.spec.ts',
    text => `${text}\ntest('a brand-new check', async ({ env }) => {\n  expect(env.name).toBeTruthy();\n});\n`,
  );
  const stale = await project.packgate(['tests']);
  expect(stale.exitCode, stale.output).toBe(1);
  expect(stale.stdout).toContain(
    'packs/platform-proxy/tests.yaml: STALE (api.spec.ts 7, remote.spec.ts 3, parity.spec.ts 3)\n  + api.spec.ts: a brand-new check\n',
  );
  expect(stale.stdout).toContain('hint: run `npx packgate tests --update` and commit the result');

  const updated = await project.packgate(['tests', '--update']);
  expect(updated.exitCode, updated.output).toBe(0);
  expect(updated.stdout).toContain(
    'packs/platform-proxy/tests.yaml: updated (api.spec.ts 7, remote.spec.ts 3, parity.spec.ts 3)',
  );
  expect(project.read('packs/platform-proxy/tests.yaml')).toContain('  - a brand-new check\n');
  expect((await project.packgate(['tests'])).exitCode).toBe(0);
});

// Before: the listing resolved every environment, so one whose env vars this machine lacks (a new
// deployment's, set only in its own CI job) failed `packgate tests`, and `npm run check` with it.
test('packgate tests lists an environment whose env vars are not set here: nothing runs, nothing is resolved', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {});
  project.write({
    'environments/acme.yaml': project
      .read('environments/demo.yaml')
      .replace('name: demo', 'name: acme')
      .replace(/^ {2}app: .*$/m, '  app: { env: ACME_APP_URL }'),
  });
  const result = await project.packgate(['tests']);
  expect(result.stderr).toBe('');
  expect(result.exitCode, result.output).toBe(0);
  expect(result.stdout).toContain('packs/auth-session/tests.yaml: current');
  // A run of it still says what is missing, before any test starts.
  const run = await project.playwright(['--project=acme-remote']);
  expect(run.output).toContain('ACME_APP_URL');
  expect(run.exitCode).not.toBe(0);
});

test('a pack without a valid tests.yaml is a lint warning, not a broken catalogue; packgate tests says why', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, { 'packs/terminal/tests.yaml': null });
  project.write({ 'packs/v3-shell/tests.yaml': 'api.spec.ts: [a, a]\nremote.spec.ts: []\n' });
  project.edit('packs/node-inventory/tests.yaml', text => `${text}remote.spec.ts: [gone]\n`);
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(0);
  expect(result.stdout).toContain(
    'packs/terminal/tests.yaml:1:1 warning: packs/terminal/ has specs but no tests.yaml: the gate cannot tell a complete run of the pack from part of one',
  );
  expect(result.stdout).toContain('packs/v3-shell/tests.yaml:1:14 api.spec.ts: warning: lists a test title twice');
  expect(result.stdout).toContain(
    'packs/node-inventory/tests.yaml:13:17 remote.spec.ts: warning: lists tests of remote.spec.ts, but pack.yaml runs no such spec at any layer',
  );
  // `packgate tests` says why a manifest that does not validate is stale, before the titles it lacks.
  const tests = await project.packgate(['tests']);
  expect(tests.exitCode, tests.output).toBe(1);
  expect(tests.stdout).toContain(
    'packs/v3-shell/tests.yaml: STALE (api.spec.ts 2, refusals.spec.ts 3, browser.spec.ts 3, parity.spec.ts 1)\n' +
      '  ! packs/v3-shell/tests.yaml:1:14 api.spec.ts: lists a test title twice\n' +
      '  it does not validate, so none of the titles in it count:\n' +
      '  + api.spec.ts: ',
  );
  expect(tests.stdout).toMatch(/packs\/node-inventory\/tests\.yaml: STALE \([^)]*\)\n {2}- remote\.spec\.ts: gone\n/);
});

test('packgate tests with a pack.gen.ts not written yet names it and what writes it, and writes nothing', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, { 'packs/terminal/pack.gen.ts': null });
  project.edit('packs/terminal/api.spec.ts', text => `${text}\ntest('a brand-new check', async () => {});\n`);
  const before = project.read('packs/terminal/tests.yaml');
  const result = await project.packgate(['tests', '--update']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stderr).toContain(
    "packs/terminal/pack.gen.ts:1:1 pack.gen.ts is missing: the pack's specs import their typed test and expect from it\n" +
      '  hint: run `npx packgate types` and commit the result',
  );
  // Said once, not once per spec that imports it, and not as Playwright's module-not-found errors.
  expect(result.stderr).not.toContain('Cannot find module');
  expect(project.read('packs/terminal/tests.yaml')).toBe(before);
});

test('packgate tests --json says ok as its exit code does: false while a tests.yaml is stale, true once --update wrote it', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packs/terminal/api.spec.ts', text => `${text}\ntest('a brand-new check', async () => {});\n`);
  // Before, the JSON had no ok at all, though the command exited 1.
  const stale = await project.packgate(['tests', '--json']);
  expect(stale.exitCode, stale.output).toBe(1);
  const json = JSON.parse(stale.stdout);
  expect(json).toMatchObject({ schemaVersion: 1, ok: false, updated: false });
  expect(json.packs).toContainEqual(
    expect.objectContaining({
      file: 'packs/terminal/tests.yaml',
      stale: true,
      added: ['api.spec.ts: a brand-new check'],
    }),
  );

  const updated = await project.packgate(['tests', '--update', '--json']);
  expect(updated.exitCode, updated.output).toBe(0);
  expect(JSON.parse(updated.stdout)).toMatchObject({ schemaVersion: 1, ok: true, updated: true });
});
