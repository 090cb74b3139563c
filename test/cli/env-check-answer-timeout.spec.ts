import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { demoAt } from '../helpers/demo.ts';
import { silentServer } from '../helpers/silent-server.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * How long a URL may stay silent is the descriptor's `answer_timeout_s`: env check waits that long
 * (the run's answer check too, see test/gate/deployment-silent.spec.ts), and its rows name the
 * setting, so a deployment slow to start is told what to raise. Before: 10 s, fixed in two places.
 */
test("env check waits the descriptor's answer_timeout_s for a silent URL and names the setting", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text => `${text}answer_timeout_s: 1\n`);
  const silent = await silentServer();
  const base = silent.url;
  try {
    const run = await project.packgate(
      ['env', 'check', 'demo', '--no-sign-in', '--json'],
      demoAt(base, `${base}/realms/gpuaas`),
    );
    expect(run.exitCode, run.output).toBe(1);
    const rows = Object.fromEntries((JSON.parse(run.stdout) as PreflightResult).checks.map(c => [c.check, c]));
    const noAnswer = 'no answer within 1 s (answer_timeout_s in environments/demo.yaml)';
    expect(rows['url app']).toEqual({ check: 'url app', ok: false, detail: `${base}: ${noAnswer}` });
    expect(rows['url auth_issuer']).toEqual({
      check: 'url auth_issuer',
      ok: false,
      detail: `${base}/realms/gpuaas/.well-known/openid-configuration: ${noAnswer}`,
    });
  } finally {
    silent.close();
  }
});

/** A value that is no length of time is bad input: lint, env check and a run refuse it, where it is, exit 2. */
test('an answer_timeout_s of 0, below 0, above 300 or not a number is refused with file, line and field, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const original = project.read('environments/demo.yaml');
  const line = original.split('\n').length;
  const refusals: Array<[string, string]> = [
    ['0', 'must be more than 0 seconds, e.g. 30 for a deployment slow to start'],
    ['-5', 'must be more than 0 seconds, e.g. 30 for a deployment slow to start'],
    ['301', 'must be at most 300 seconds: a deployment that takes longer to answer is down'],
    ['ten', 'expected number, got "ten"'],
  ];
  for (const [value, why] of refusals) {
    project.write({ 'environments/demo.yaml': `${original}answer_timeout_s: ${value}\n` });
    const lint = await project.packgate(['lint']);
    expect(lint.exitCode, lint.output).toBe(2);
    expect(lint.stdout).toContain(`environments/demo.yaml:${line}:19 answer_timeout_s: ${why}\n`);
  }

  // The last one ("ten") refused by env check and by a run too, nothing checked or run.
  const check = await project.packgate(['env', 'check', 'demo', '--no-sign-in']);
  expect(check.exitCode, check.output).toBe(2);
  expect(check.output).toContain(`environments/demo.yaml:${line}:19 answer_timeout_s: expected number, got "ten"`);
  const run = await project.playwright(['--project=demo-remote']);
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toContain(`environments/demo.yaml:${line}:19 answer_timeout_s: expected number, got "ten"`);
  expect(project.exists('gate-results/verdict.json')).toBe(false);
});
