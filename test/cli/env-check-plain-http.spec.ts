import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A release-stage descriptor given plain-HTTP URLs does not resolve: each URL's row says so, under
 * DETAIL, and so does the row of a stack's ready_url that is not a URL; the `descriptor resolves`
 * row then points at them. Nothing is reached.
 */
test('env check: the lines of a descriptor that does not resolve stay under DETAIL, not at the left as rows of their own', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const run = await project.packgate(['env', 'check', 'demo', '--no-sign-in'], {
    PACKGATE_DEMO_APP_URL: 'http://127.0.0.1:9',
    PACKGATE_DEMO_ISSUER_URL: 'http://127.0.0.1:9/realms/gpuaas',
    PACKGATE_DEMO_USER_PASSWORD: 'x',
    PACKGATE_DEMO_MEMBER_PASSWORD: 'y',
  });
  expect(run.exitCode, run.output).toBe(1);
  let lines = run.stdout.split('\n');
  let detail = lines[1].indexOf('DETAIL');
  const rowOf = (check: string) => lines.find(line => line.startsWith(`  ${check} `))!.slice(detail);
  expect(rowOf('urls.app')).toMatch(/^http:\/\/127\.0\.0\.1:9 \(from PACKGATE_DEMO_APP_URL\) is plain HTTP/);
  expect(rowOf('urls.auth_issuer')).toMatch(
    /^http:\/\/127\.0\.0\.1:9\/realms\/gpuaas \(from PACKGATE_DEMO_ISSUER_URL\) is plain HTTP/,
  );
  expect(rowOf('descriptor resolves')).toBe('not until the failures above are fixed');

  const probe = await project.packgate(['env', 'check', 'parity', '--no-sign-in'], {
    PACKGATE_PARITY_PROBE_URL: 'not-a-url',
  });
  expect(probe.exitCode, probe.output).toBe(1);
  lines = probe.stdout.split('\n');
  detail = lines[1].indexOf('DETAIL');
  // Before: no row of its own; its problem said under descriptor resolves.
  expect(rowOf('stack.ready_url')).toBe('"not-a-url" (from PACKGATE_PARITY_PROBE_URL) is not a URL');
  expect(rowOf('descriptor resolves')).toBe('not until the failures above are fixed');
});
