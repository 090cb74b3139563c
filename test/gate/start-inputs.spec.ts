import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/** Bad input is refused before anything runs: exit 2, saying what and what to do, no verdict written. */

function mergeReports(project: TempProject, args: string[]) {
  const cli = path.join(project.dir, 'node_modules/@playwright/test/cli.js');
  return project.spawn([cli, 'merge-reports', '--config', 'playwright.config.ts', ...args]);
}

test('merge-reports of a folder that is missing or holds no blob report is refused (exit 2), naming it', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const missing = await mergeReports(project, ['all-blob-reports']);
  expect(missing.exitCode, missing.output).toBe(2);
  expect(missing.stderr).toContain(
    `packgate: no blob reports to merge: the folder ${path.join(project.dir, 'all-blob-reports')} does not exist`,
  );
  expect(missing.stderr).toContain("hint: give the folder every shard's blob-report/ was collected into");
  // Not Playwright's own stack trace.
  expect(missing.output).not.toContain('at mergeReports');

  fs.mkdirSync(path.join(project.dir, 'all-blob-reports'));
  fs.writeFileSync(path.join(project.dir, 'all-blob-reports/README.txt'), 'not a report');
  const empty = await mergeReports(project, ['all-blob-reports']);
  expect(empty.exitCode, empty.output).toBe(2);
  expect(empty.stderr).toContain('all-blob-reports holds no .zip (each shard writes blob-report/report-<n>.zip)');
  expect(fs.existsSync(path.join(project.dir, 'gate-results/verdict.json'))).toBe(false);
});

test("merge-reports --reporter, which would replace the gate's and judge nothing, is refused (exit 2)", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  fs.mkdirSync(path.join(project.dir, 'all-blob-reports'));
  fs.writeFileSync(path.join(project.dir, 'all-blob-reports/report-1.zip'), '');
  for (const args of [
    ['--reporter', 'dot', 'all-blob-reports'],
    ['--reporter=html', 'all-blob-reports'],
  ]) {
    const merged = await mergeReports(project, args);
    expect(merged.exitCode, merged.output).toBe(2);
    expect(merged.stderr).toMatch(/^packgate: merge-reports --reporter[ =](dot|html) replaces the gate reporter/);
    expect(merged.stderr).toContain(
      "hint: drop --reporter; add other reporters in playwright.config.ts after the gate's",
    );
  }
});

test('a PACKGATE_ATTEST_KEY that is no ed25519 key stops the run before any test (exit 2), never printing it', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const args = ['--project=local-api', 'packs/platform-proxy/'];
  const missing = await project.playwright(args, { PACKGATE_ATTEST_KEY: 'keys/no-such-attest.key' });
  expect(missing.exitCode, missing.output).toBe(2);
  expect(missing.stderr).toContain(
    'packgate: PACKGATE_ATTEST_KEY is neither PEM text (-----BEGIN ...) nor the path of a readable file',
  );
  expect(missing.output).not.toContain('no-such-attest');
  expect(missing.output).not.toMatch(/\d+ passed/);
  expect(fs.existsSync(path.join(project.dir, 'gate-results/verdict.json'))).toBe(false);

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsa = await project.playwright(args, {
    PACKGATE_ATTEST_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  expect(rsa.exitCode, rsa.output).toBe(2);
  expect(rsa.stderr).toContain('PACKGATE_ATTEST_KEY is an rsa key; attestations are signed with ed25519 only');
  expect(rsa.output).not.toMatch(/\d+ passed/);

  // The public half of the pair, the usual mix-up. Before: 'is not an ed25519 private key (PKCS#8 PEM):
  // error:1E08010C:DECODER routines::unsupported', and a hint to make a new pair.
  const pair = generateKeyPairSync('ed25519');
  fs.writeFileSync(path.join(project.dir, 'attest.pub'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
  const pub = await project.playwright(args, { PACKGATE_ATTEST_KEY: 'attest.pub' });
  expect(pub.exitCode, pub.output).toBe(2);
  expect(pub.stderr).toContain(
    'packgate: PACKGATE_ATTEST_KEY holds a public key (-----BEGIN PUBLIC KEY-----); the gate signs with the private one\n' +
      '  hint: set PACKGATE_ATTEST_KEY to the private key of the pair (attest.key, -----BEGIN PRIVATE KEY-----); ' +
      'the public key (attest.pub) is for checking: `packgate evidence verify <dir> --key attest.pub`\n',
  );
  expect(pub.output).not.toMatch(/\d+ passed/);
  expect(fs.existsSync(path.join(project.dir, 'gate-results/verdict.json'))).toBe(false);
});
