import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A release-stage descriptor given plain-HTTP URLs does not resolve: env check's table says so in
 * its `descriptor resolves` row, one line per URL, each under DETAIL. Nothing is reached.
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
  const lines = run.stdout.split('\n');
  const detail = lines[1].indexOf('DETAIL');
  const row = lines.findIndex(line => line.startsWith('  descriptor resolves '));
  expect(lines[row].slice(detail)).toBe('environment "demo" cannot be resolved:');
  // Before: "  environments/demo.yaml:10 urls.app: ...", at the table's left under CHECK.
  const problems = lines.slice(row + 1, row + 3);
  expect(problems).toEqual([
    expect.stringMatching(/ urls\.app: http:\/\/127\.0\.0\.1:9 \(from PACKGATE_DEMO_APP_URL\) is plain HTTP/),
    expect.stringMatching(
      / urls\.auth_issuer: http:\/\/127\.0\.0\.1:9\/realms\/gpuaas \(from PACKGATE_DEMO_ISSUER_URL\) is plain HTTP/,
    ),
  ]);
  for (const line of problems) expect(line.slice(0, detail + 2).trim(), line).toBe('');
  expect(lines[row + 3], 'the table goes on after it').toBe('');
});
