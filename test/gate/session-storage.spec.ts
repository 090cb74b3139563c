import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An app that keeps its session token in the tab's sessionStorage (PACKGATE_STACK_SESSION_STORAGE):
 * its pages work only in a tab holding the token, which Playwright's storageState does not carry.
 * The sign-in setup keeps it, and every page of a signed-in test gets it back before the app's
 * scripts run; the API takes the cookie alone.
 */
test('sessionStorage the app keeps its session in is restored in every page of a signed-in test', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.playwright(
    ['--project=local-api', '--project=local-browser', 'packs/auth-session/', 'packs/v3-shell/'],
    { PACKGATE_STACK_SESSION_STORAGE: '1' },
  );
  expect(result.exitCode, result.output).toBe(0);
  const verdict = project.verdict();
  for (const id of ['auth-session', 'v3-shell'])
    expect(
      verdict.packs.find(p => p.id === id),
      id,
    ).toMatchObject({
      status: 'PASS',
      layers: ['api', 'browser'],
      tests: { failed: 0, flaky: 0 },
    });
});
