import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

test('healthy stack, api layer: exit 0, verdict PASS, auth-session PASS with correlation ids', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.playwright(['--project=local-api', 'packs/auth-session/']);
  expect(result.exitCode, result.output).toBe(0);
  const verdict = project.verdict();
  expect(verdict).toMatchObject({
    schemaVersion: 2,
    verdict: 'PASS',
    environment: 'local',
    stage: 'dev',
    kind: 'embedded',
    projects: ['local-api'],
    faults: [],
  });
  const pack = verdict.packs.find(p => p.id === 'auth-session')!;
  expect(pack).toMatchObject({ status: 'PASS', policy: 'blocking', blocks: false, layers: ['api'] });
  expect(pack.tests).toMatchObject({ total: 9, passed: 9, failed: 0 });
  expect(pack.evidence.correlationIds.length).toBeGreaterThan(0);
  expect(result.stdout).toContain('packgate PASS: local (dev): 1 passed');
  expect(project.read('gate-results/summary.md')).toContain('| auth-session | C-ops | blocking | PASS | 9/10 | 3/3 |');
});

test('healthy stack, browser layer: exit 0, a real sign-in lands in the shell', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.playwright(['--project=local-browser', 'packs/auth-session/']);
  expect(result.exitCode, result.output).toBe(0);
  // The run starts its stack, whose error output it shows: a healthy one has none (no EPIPE, no
  // warning about the Node version the project supports).
  expect(result.output, 'a healthy run prints nothing from its stack').not.toMatch(/^\[stack:local\]/m);
  const pack = project.verdict().packs.find(p => p.id === 'auth-session')!;
  expect(pack).toMatchObject({ status: 'PASS', layers: ['browser'] });
  expect(pack.tests.passed).toBe(pack.tests.total);
  expect(project.verdict().verdict).toBe('PASS');
  // Passing tests leave no evidence files behind: no trace, no screenshot.
  expect(pack.evidence.files).toEqual(['evidence/auth-session/evidence.json']);
  const leftovers = fs
    .readdirSync(`${project.dir}/test-results`, { recursive: true })
    .map(String)
    .filter(f => /\.(png|zip)$/.test(f));
  expect(leftovers).toEqual([]);
});
