import { expect, test } from '@playwright/test';
import { demoAt } from '../helpers/demo.ts';
import { silentServer } from '../helpers/silent-server.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A deployment that takes connections and never answers (a firewall that drops, a VPN not up): the
 * run stops before any test, BLOCKED, naming the URLs that stayed silent, the descriptor's
 * answer_timeout_s that gave up on them, and what to check. Before: every test waited out its 30 s
 * timeout, 7.5 minutes for demo-remote, for a verdict of 40 timeouts; then the wait was 10 s whatever
 * the descriptor said, so a deployment slow to start could not be gated at all.
 */
test('a deployment that never answers stops the run before any test: BLOCKED, naming its silent URLs and answer_timeout_s', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text => `${text}answer_timeout_s: 1\n`);
  const silent = await silentServer();
  const base = silent.url;
  try {
    const result = await project.playwright(['--project=demo-remote'], demoAt(base, `${base}/realms/gpuaas`));
    expect(result.exitCode, result.output).toBe(1);
    const verdict = project.verdict();
    expect(verdict).toMatchObject({ verdict: 'BLOCKED', headline: 'BLOCKED: demo (demo): no verdict: no test ran' });
    const reason = verdict.problems[0].message;
    expect(reason).toMatch(
      /^the run stopped before any test ran, so there is no verdict: environment demo did not answer: urls.app/,
    );
    expect(reason).toContain(
      `environment demo did not answer: urls.app ${base}, urls.api ${base}/api, urls.auth_issuer ${base}/realms/gpuaas: ` +
        'no answer within 1 s (answer_timeout_s in environments/demo.yaml); ',
    );
    expect(reason).toContain('raise answer_timeout_s for one slow to start');
    expect(reason).toContain('`npx packgate env check demo`');
    // No test started, and packgate's own call stack is not the user's business.
    expect(result.output).not.toMatch(/✓|✘|Test timeout/);
    expect(result.output).not.toContain('answer-setup.ts');
  } finally {
    silent.close();
  }
});
