import { expect, test } from '@playwright/test';
import type { PreflightResult } from '../../src/preflight/env-check.ts';
import { demoAt } from '../helpers/demo.ts';
import { silentServer } from '../helpers/silent-server.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A deployment that does not answer (a firewall that drops, a VPN not up) costs env check one request
 * timeout, not one per URL and then a browser's per sign-in: the URL rows say no answer came, and
 * the sign-ins, which start at the app and go through the issuer, are not tried (no browser
 * launches). A server that accepts connections and never answers stands in for it. How long it takes
 * is not asserted (speed is measured in bench/, never in tests): the rows say what was not tried.
 */
test('env check of a deployment that does not answer says so in one timeout and tries no sign-in', async ({}, testInfo) => {
  test.setTimeout(90_000);
  const project = await TempProject.create(testInfo);
  const silent = await silentServer();
  const base = silent.url;
  try {
    // Before: 52 s, the three URLs one after the other, then each sign-in failing on its own
    // "page.goto: Timeout 10000ms exceeded".
    const run = await project.packgate(['env', 'check', 'demo', '--json'], demoAt(base, `${base}/realms/gpuaas`));
    expect(run.exitCode, run.output).toBe(1);
    const result = JSON.parse(run.stdout) as PreflightResult;
    const rows = Object.fromEntries(result.checks.map(c => [c.check, c]));
    // The descriptor sets no answer_timeout_s: its default, named so a slow deployment is told what to raise.
    const noAnswer = 'no answer within 10 s (answer_timeout_s in environments/demo.yaml)';
    expect(rows['url app']).toEqual({ check: 'url app', ok: false, detail: `${base}: ${noAnswer}` });
    expect(rows['url api']).toEqual({ check: 'url api', ok: false, detail: `${base}/api: ${noAnswer}` });
    expect(rows['url auth_issuer']).toMatchObject({ ok: false, detail: expect.stringContaining(noAnswer) });
    for (const persona of ['ada', 'grace'])
      expect(rows[`sign in as ${persona}`]).toEqual({
        check: `sign in as ${persona}`,
        ok: null,
        detail: 'not checked: url app does not answer (above)',
      });
  } finally {
    silent.close();
  }
});
