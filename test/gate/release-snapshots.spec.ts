import { expect, test } from '@playwright/test';
import { freePorts } from '../helpers/ports.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * `-u` overwrites each snapshot a page no longer matches and passes the test, `--ignore-snapshots`
 * compares none: a release run given either would pass whatever its pages show, so it is refused
 * before it starts. A dev run updates snapshots as Playwright's users do.
 */
test('a release run given -u or --ignore-snapshots stops before it starts (exit 2); a dev run may update snapshots', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // Nothing answers there: a run that started would fail its tests, not stop at once.
  const [port] = await freePorts(1);
  const demo = {
    PACKGATE_DEMO_APP_URL: `https://127.0.0.1:${port}`,
    PACKGATE_DEMO_API_URL: `https://127.0.0.1:${port}/api`,
    PACKGATE_DEMO_ISSUER_URL: `https://127.0.0.1:${port}/realms/gpuaas`,
  };
  for (const given of [
    ['-u'],
    ['--update-snapshots=all'],
    ['--ignore-snapshots'],
    ['--update-snapshots', 'changed'],
    ['--update-snapshots=missing'],
  ]) {
    const run = await project.playwright(['--project=demo-remote', ...given], demo);
    expect(run.exitCode, run.output).toBe(2);
    expect(run.stderr).toBe(
      `packgate: ${given.join('=')}: a run of demo (stage demo in environments/demo.yaml, a release stage) would ` +
        'pass every snapshot comparison whatever the pages show, where a release verdict compares them with the ' +
        'committed snapshots\n' +
        '  hint: run without it; update snapshots on a dev run (npx playwright test -u <spec>), review the new ones ' +
        'and commit them, then run the release gate\n',
    );
    expect(project.exists('.packgate/runs'), 'no run plan written').toBe(false);
  }
  const dev = await project.playwright(['--project=local-api', 'packs/no-such-pack/', '-u'], {
    PACKGATE_STACK: 'never',
  });
  expect(dev.exitCode, dev.output).toBe(1);
  expect(dev.output).toContain('No tests found');
  expect(dev.stderr).not.toContain('snapshot');
});
