import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An app that keeps its session token in the tab's sessionStorage (PACKGATE_STACK_SESSION_STORAGE):
 * its pages work only in a tab holding the token, which Playwright's storageState does not carry.
 * The sign-in setup keeps it, and every page of a signed-in test gets it back before the app's
 * scripts run; the API takes the cookie alone. Each worker has a session of its own, got in a page
 * on the IdP's single sign-on: v3-shell switches tenant in one worker while the other reads it.
 */
test('sessionStorage the app keeps its session in is restored in every page of a signed-in test', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const shape = { PACKGATE_STACK_SESSION_STORAGE: '1' };
  // Started here, and reused by the run, so the app can say how many sessions it made.
  const stack = await project.startStack(shape);
  try {
    const result = await project.playwright(
      ['--project=local-api', '--project=local-browser', 'packs/v3-shell/'],
      shape,
    );
    expect(result.exitCode, result.output).toBe(0);
    const verdict = project.verdict();
    expect(verdict.packs.find(p => p.id === 'v3-shell')).toMatchObject({
      status: 'PASS',
      layers: ['api', 'browser'],
      tests: { failed: 0, flaky: 0 },
    });
    const stats = await fetch(`${project.env.PACKGATE_LOCAL_APP_URL}/__stack/stats`);
    const counts = (await stats.json()) as Record<
      'interactiveLogins' | 'appSessions',
      { byUser: Record<string, number> }
    >;
    expect(counts.interactiveLogins.byUser.ada, 'one interactive sign-in as ada, the setup').toBe(1);
    // v3-shell signs in through no callback of its own: the setup's session, and one of its own for
    // each worker (a shared session would be the setup's alone).
    expect(counts.appSessions.byUser.ada, 'app sessions of ada').toBeGreaterThanOrEqual(2);
  } finally {
    stack.kill('SIGTERM');
  }
});
