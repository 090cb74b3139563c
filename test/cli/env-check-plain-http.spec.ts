import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A release-stage descriptor given plain-HTTP URLs does not resolve: each URL's row says so, under
 * DETAIL. What no row says (a stack's ready_url that is not a URL) is said in the `descriptor
 * resolves` row, one line per problem, each under DETAIL. Nothing is reached.
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
  const row = lines.findIndex(line => line.startsWith('  descriptor resolves '));
  expect(lines[row].slice(detail)).toBe('environment "parity" cannot be resolved:');
  // Before: "  environments/parity.yaml stack.ready_url: ...", at the table's left under CHECK.
  const problem = lines[row + 1];
  expect(problem).toMatch(/ environments\/parity\.yaml stack\.ready_url: "not-a-url" is not a URL$/);
  expect(problem.slice(0, detail + 2).trim(), problem).toBe('');
  expect(lines[row + 2], 'the table goes on after it').toBe('');
});
