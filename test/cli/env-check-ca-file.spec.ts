import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * An environment's tls.ca_file that cannot be read (its stack not started, or a folder) is the
 * environment not ready, not a bad catalogue: env check prints its table, a failing tls.ca_file row
 * naming the file, why in words and what to do, the checks that need the CA not checked because of
 * it, exit 1. The parity stack is not started: nothing is reached, no browser launches.
 */
test('env check: a tls.ca_file that is missing or a folder fails its row, in words; what needs it is not checked; exit 1', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  await project.useParityPorts();
  const point =
    "point the environment's tls.ca_file (or the env var it reads) at the PEM of the CA that issued its certificates";
  const needing = [
    ...['url app', 'url api', 'url proxy', 'url auth_issuer', 'idp discovery', 'registered callback'],
    ...['sign in as ada', 'sign in as grace'],
  ];

  // Before: the URLs were tried without the CA, then exit 2 and no table, on stderr "packgate: the
  // CA file missing/ca.pem (the environment's tls.ca_file): no such file" with its hint.
  const missing = await project.packgate(['env', 'check', 'parity'], { PACKGATE_PARITY_CA_FILE: 'missing/ca.pem' });
  expect(missing.exitCode, missing.output).toBe(1);
  expect(missing.stderr).toBe('');
  expect(missing.stdout).toMatch(
    /^environment "parity" \(environments\/parity\.yaml\) is NOT READY: 1 of \d+ checks fail\n/,
  );
  expect(missing.stdout).toContain(
    "  tls.ca_file             FAIL    the CA file missing/ca.pem (the environment's tls.ca_file): no such file; " +
      'a stack in deployment shape writes it when it starts: start its stack first ' +
      `(npx packgate stack start --env parity), or ${point}\n`,
  );
  for (const check of needing)
    expect(missing.stdout).toMatch(
      new RegExp(
        `\\n {2}${check} +- +not checked: it needs the CA, which cannot be read \\(tls\\.ca_file, above\\)\\n`,
      ),
    );

  // Before: exit 2 at once, "the CA file ca-folder (the environment's tls.ca_file): a folder, not a file".
  fs.mkdirSync(path.join(project.dir, 'ca-folder'));
  const folder = await project.packgate(['env', 'check', 'parity', '--json'], { PACKGATE_PARITY_CA_FILE: 'ca-folder' });
  expect(folder.exitCode, folder.output).toBe(1);
  expect(folder.stderr).toBe('');
  const result = JSON.parse(folder.stdout) as PreflightResult & { ok: boolean };
  expect(result).toMatchObject({ ok: false, ready: false });
  expect(result.checks.filter(c => c.ok === false)).toEqual([
    {
      check: 'tls.ca_file',
      ok: false,
      detail: `the CA file ca-folder (the environment's tls.ca_file): a folder, not a file; remove the folder ca-folder, or ${point}`,
    },
  ]);
  expect(result.checks.filter(c => needing.includes(c.check)).map(c => [c.check, c.ok])).toEqual(
    needing.map(check => [check, null]),
  );
});
