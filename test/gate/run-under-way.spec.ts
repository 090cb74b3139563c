import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * Two gate runs at once in one project: the second would empty the first's output folder (and
 * Playwright's test-results, its traces) while it runs, so it is refused before it starts anything.
 */

/** A local stack that starts only once the test says so, and then fails: a run held at its start. */
const HOLD_STACK = `import fs from 'node:fs';
const until = Date.now() + 30_000;
while (!fs.existsSync('release') && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 100));
process.exit(1);
`;

test('a second run while one is under way stops (exit 2) naming it, and leaves its folder alone; once it ends a run starts', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, { 'hold-stack.mjs': HOLD_STACK });
  project.edit('environments/local.yaml', text =>
    text.replace(/command: node stack\/run\.js --env local/, 'command: node hold-stack.mjs'),
  );
  expect(project.read('environments/local.yaml')).toContain('command: node hold-stack.mjs');
  const cli = path.join(project.dir, 'node_modules/@playwright/test/cli.js');
  const first = project.start([cli, 'test', '--project=local-api']);
  // The first run has started (its verdict says it has not judged yet) and waits for its stack.
  await expect
    .poll(() => (project.exists('gate-results/verdict.json') ? project.verdict().headline : undefined))
    .toBe('BLOCKED: local (dev): no verdict: the run has not finished');
  const runId = project.verdict().runId!;

  const second = await project.playwright(['--project=local-api']);
  expect(second.exitCode, second.output).toBe(2);
  expect(second.stderr).toBe(
    `packgate: another gate run of this project is under way (run ${runId}, process ${first.child.pid}) and ` +
      "writes gate-results/: a second run now would empty its output folder and Playwright's test-results under it\n" +
      `  hint: wait for it to end, or stop it (kill ${first.child.pid}), then run this again; runs at the same time ` +
      'need a checkout each (a worktree, as `packgate task start` makes one)\n',
  );
  expect(project.verdict().runId, "the first run's verdict stands").toBe(runId);

  project.write({ release: '' });
  const ended = await first.done;
  expect(ended.exitCode, ended.output).toBe(1);
  expect(project.verdict().runId, 'the first run judged its own run').toBe(runId);
  // Its process is gone: the next run starts (and meets the failing stack, not a refusal).
  const next = await project.playwright(['--project=local-api']);
  expect(next.exitCode, next.output).toBe(1);
  expect(next.output).not.toContain('another gate run');
  expect(project.verdict().runId).not.toBe(runId);
});
