import { expect, test } from '@playwright/test';
import { openProjectStore } from '../../src/store/open.ts';
import { TempProject } from '../helpers/temp-project.ts';

/** The gate hands a finished run to the queue store only when the project keeps one. */
const RUN = ['--project=local-api', 'packs/platform-proxy/'];

test('without store: in packgate.yaml the gate records nowhere (no queue.db), and on dev it warns that no release hold was read', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packgate.yaml', text => text.replace(/^# The queue store every gate run[^]*?^store: .*\n/m, ''));
  expect(project.read('packgate.yaml')).not.toContain('store');
  const result = await project.playwright(RUN);
  expect(result.exitCode, result.output).toBe(0);
  // On dev a queue not read is a warning (a release stage is BLOCKED by it): the tests' verdict is otherwise unchanged.
  expect(project.verdict()).toMatchObject({
    verdict: 'PASS_WITH_WARNINGS',
    projects: ['local-api'],
    problems: [
      {
        severity: 'warning',
        message: expect.stringMatching(
          /^release holds were not read: no queue store is configured .*on dev this is a warning/,
        ),
      },
    ],
    queue: { store: null, reason: expect.stringContaining('no queue store is configured') },
  });
  expect(project.verdict().packs.find(p => p.id === 'platform-proxy')).toMatchObject({ status: 'PASS' });
  expect(project.exists('.packgate/queue.db')).toBe(false);
  expect(project.exists('.packgate/evidence')).toBe(false);
  expect(result.stdout).not.toContain('recorded in the');
});

test('with store: the run is recorded in its environment, evidence by digest; a narrowed one as narrowed, no release view counts it', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  expect(project.read('packgate.yaml')).toMatch(/^store: \{ path: \.packgate\/queue\.db \}$/m);
  const result = await project.playwright(RUN);
  expect(result.exitCode, result.output).toBe(0);
  // One pack's file at one of local's two layers: the verdict says what narrowed it.
  const narrowed = ['packs/platform-proxy/', 'not selected: local-browser'];
  expect(project.verdict()).toMatchObject({ verdict: 'PASS', narrowed, problems: [], queue: { holds: [] } });
  const store = await openProjectStore(project.dir, {});
  try {
    const runs = await store.gateRuns({ environment: 'local' });
    // The command as it ran, its file filter too: running it again runs the same tests.
    expect(runs).toEqual([
      expect.objectContaining({
        taskId: null,
        verdict: 'PASS',
        projects: ['local-api'],
        narrowed,
        command: 'npx playwright test --project=local-api packs/platform-proxy/',
      }),
    ]);
    expect(runs[0].evidence.map(e => e.path)).toContain('verdict.json');
    // The terminal says where it went, with the number `task prove --run` and the review take, and
    // that this PASS of one pack is no release-gate run of local.
    expect(result.stdout).toContain(
      `recorded in the queue store: gate run #${runs[0].id} as a narrowed run of local ` +
        '(packs/platform-proxy/; not selected: local-browser), not a release-gate run\n',
    );
    // The release view and trends read release-gate runs only: this PASS is no release of local.
    expect((await store.dashboard.release()).environments).toEqual([]);
    expect((await store.dashboard.trends()).series).toEqual([]);
  } finally {
    await store.close();
  }
});
