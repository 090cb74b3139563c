import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { upstreamOf } from '../helpers/fault-groups.ts';
import { REPO, TempProject } from '../helpers/temp-project.ts';

test('with sign-in broken, every pack depending on auth-session is BLOCKED_BY_UPSTREAM at once', async ({}, testInfo) => {
  const catalogue = loadCatalogueOrThrow(REPO);
  const dependents = [...catalogue.packs.keys()].filter(id => upstreamOf(catalogue, id).has('auth-session'));
  expect(dependents.length, 'the catalogue has packs that need a signed-in user').toBeGreaterThan(3);
  const project = await TempProject.create(testInfo);
  const result = await project.playwright([], { PACKGATE_STACK_FAULTS: 'callback-unregistered' });
  expect(result.exitCode, result.output).toBe(1);
  const verdict = project.verdict();
  expect(verdict.packs.find(p => p.id === 'auth-session')).toMatchObject({ status: 'FAIL', blocks: true });
  for (const id of dependents) {
    const pack = verdict.packs.find(p => p.id === id)!;
    expect(pack, `${id}: ${pack.reason}`).toMatchObject({ status: 'BLOCKED_BY_UPSTREAM', upstream: 'auth-session' });
    expect(pack.reason).toMatch(/^blocked by upstream pack "auth-session" \(FAIL: /);
    // Not run rather than failed: a failure would cost a worker restart and a retry for nothing.
    expect(pack.tests.failed, `${id}: no test of a dependent fails on the broken sign-in`).toBe(0);
  }
  // The sign-in setup fails once; Playwright does not start the dependents' tests, and each says why.
  const reasons = dependents.map(id => verdict.packs.find(p => p.id === id)!.reason).join('\n');
  expect(reasons).toContain('never finished: the sign-in setup failed (local-sign-in › sign in as ada');
  expect(reasons).toContain('the IdP refused the authorization request');
  for (const id of dependents)
    expect(verdict.packs.find(p => p.id === id)!.tests, `${id}: no test of it started`).toMatchObject({
      passed: 0,
      failed: 0,
    });
});
