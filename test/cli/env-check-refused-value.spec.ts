import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An env var that is set to a value the descriptor then refuses (a URL without its scheme, plain
 * HTTP on a release stage): its row fails with the reason, where it said "ok ... is set" above the
 * "descriptor resolves" failure that refused that very value. The same in --json.
 */
test("env check: a variable set to a refused value fails its own row with the reason, not 'ok ... is set'", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const passwords = { PACKGATE_DEMO_USER_PASSWORD: 'x', PACKGATE_DEMO_MEMBER_PASSWORD: 'y' };

  const table = await project.packgate(['env', 'check', 'demo', '--no-sign-in'], {
    ...passwords,
    PACKGATE_DEMO_APP_URL: 'localhost:4410',
  });
  expect(table.exitCode, table.output).toBe(1);
  expect(table.stdout).toContain(
    '  urls.app                FAIL    "localhost:4410" (from PACKGATE_DEMO_APP_URL) is not an http(s) URL; ' +
      'write it with its scheme: https://localhost:4410\n',
  );
  // Said once, on its row; nothing else keeps the descriptor from resolving.
  expect(table.stdout).toContain('  descriptor resolves     FAIL    not until the failures above are fixed\n');
  expect(table.stdout.match(/localhost:4410/g)).toHaveLength(2);
  // A value that is right is still ok. (A default is refused where the catalogue is loaded, by lint.)
  expect(table.stdout).toContain(
    '  urls.auth_issuer        ok      PACKGATE_DEMO_ISSUER_URL is not set: the default https://aicloud-demo-auth.core42.dev/realms/gpuaas\n',
  );

  // Plain HTTP on a release stage, in --json: the row's ok is false with the reason.
  const json = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], {
    ...passwords,
    PACKGATE_DEMO_APP_URL: 'http://127.0.0.1:9',
  });
  expect(json.exitCode, json.output).toBe(1);
  const result = JSON.parse(json.stdout) as PreflightResult;
  expect(result.checks.find(c => c.check === 'urls.app')).toEqual({
    check: 'urls.app',
    ok: false,
    detail:
      'http://127.0.0.1:9 (from PACKGATE_DEMO_APP_URL) is plain HTTP and stage demo requires https; ' +
      'use the https URL (PACKGATE_ALLOW_HTTP=1 allows HTTP for tests against a local stack)',
  });
  expect(result.checks.find(c => c.check === 'descriptor resolves')).toEqual({
    check: 'descriptor resolves',
    ok: false,
    detail: 'not until the failures above are fixed',
  });
});

/**
 * A variable set but empty (a CI secret a fork's pull request cannot read is empty) is said to be
 * empty, as the run says it: "is not set" sent its reader to a workflow that sets it.
 */
test('env check: a variable set but empty is said to be empty, for a URL with a default and for a secret', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const json = await project.packgate(['env', 'check', 'demo', '--no-sign-in', '--json'], {
    PACKGATE_DEMO_ISSUER_URL: '',
    PACKGATE_DEMO_USER_PASSWORD: '',
    PACKGATE_DEMO_MEMBER_PASSWORD: 'y',
  });
  const rows = Object.fromEntries((JSON.parse(json.stdout) as PreflightResult).checks.map(c => [c.check, c.detail]));
  expect(rows['urls.auth_issuer']).toBe(
    'PACKGATE_DEMO_ISSUER_URL is set but empty (a CI secret the job cannot read is empty): ' +
      'the default https://aicloud-demo-auth.core42.dev/realms/gpuaas',
  );
  expect(rows['secret user-password']).toBe(
    'PACKGATE_DEMO_USER_PASSWORD is set but empty (a CI secret the job cannot read is empty): set it',
  );
  expect(json.exitCode, json.output).toBe(1);
});
