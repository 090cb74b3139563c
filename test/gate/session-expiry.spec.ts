import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An app whose sessions run out during a run (PACKGATE_STACK_SESSION_TTL_S): the worker's reused
 * session is signed in again once it has expired, instead of every later test failing on it.
 */
const EXPIRING_PACK = {
  'packs/expiring/pack.yaml': `id: expiring
title: Expiring sessions
journey: A signed-in user comes back after the app's session ran out.
owner: test-lane
required_proof: a later test still starts signed in
policy: { dev: blocking }
lowest_reliable_layer: browser
layers: [browser]
seeds: [core]
identity: ada
paths:
  shell: /shell
  me: { base: api, path: /v1/me }
`,
  'packs/expiring/tests.yaml':
    'browser.spec.ts:\n  - a signed-in user opens the shell, and stays until the session ran out\n  - a later test starts signed in again\n',
  'packs/expiring/browser.spec.ts': `import { expect, test } from '../../fixtures/index.ts';

test('a signed-in user opens the shell, and stays until the session ran out', async ({ page, pack }) => {
  await page.goto(pack.url('shell'));
  await expect(page).toHaveURL(pack.url('shell'));
  // Past the app's session lifetime (6 s here), which the worker's cached session does not know.
  await page.waitForTimeout(6500);
});

test('a later test starts signed in again', async ({ userApi, pack }) => {
  // Over HTTP, nothing signs in again by itself (a browser would, through the IdP's session).
  const me = await userApi.get(pack.url('me'));
  expect(me.status(), 'the API answers the session of the worker, not 401 for a stale one').toBe(200);
});
`,
};

test("a reused session that expired is signed in again, once, for the worker's later tests", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, EXPIRING_PACK);
  const result = await project.playwright(['--project=local-browser', '--workers=1', 'packs/expiring/'], {
    PACKGATE_STACK_SESSION_TTL_S: '6',
  });
  expect(result.exitCode, result.output).toBe(0);
  const pack = project.verdict().packs.find(p => p.id === 'expiring')!;
  expect(pack).toMatchObject({ status: 'PASS', tests: { total: 2, passed: 2, flaky: 0 } });
});
