import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { VerdictFile } from '../../src/schema/verdict.ts';
import { TempProject } from '../helpers/temp-project.ts';

/** What must not depend on how a run was split: the verdict, and each pack's status, reason and tests. */
const judged = (v: VerdictFile) => ({
  verdict: v.verdict,
  complete: v.complete,
  problems: v.problems,
  packs: v.packs.map(p => ({
    id: p.id,
    status: p.status,
    blocks: p.blocks,
    reason: p.reason,
    tests: p.tests,
    missingTests: p.missingTests,
  })),
});

/** Runs the shards of a CI matrix, each leaving its blob report where the merge job collects them. */
async function runShards(project: TempProject, args: string[], total: number, collect: string): Promise<void> {
  fs.mkdirSync(collect, { recursive: true });
  for (let current = 1; current <= total; current++) {
    const shard = await project.playwright([...args, `--shard=${current}/${total}`]);
    expect(shard.exitCode, shard.output).toBe(0);
    // A shard is no verdict: what it leaves says so, and blocks.
    expect(project.verdict()).toMatchObject({
      verdict: 'BLOCKED',
      headline: `BLOCKED: local (dev): no verdict: shard ${current}/${total} of a run`,
    });
    for (const file of fs.readdirSync(path.join(project.dir, 'blob-report')))
      fs.copyFileSync(path.join(project.dir, 'blob-report', file), path.join(collect, `shard-${current}-${file}`));
  }
}

function mergeReports(project: TempProject, dir: string, env: Record<string, string> = {}) {
  const cli = path.join(project.dir, 'node_modules/@playwright/test/cli.js');
  return project.spawn([cli, 'merge-reports', '--config', 'playwright.config.ts', dir], env);
}

test('two shards merged with the gate reporter give the verdict of the same run unsharded', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const args = ['--project=local-api'];
  const whole = await project.playwright(args);
  expect(whole.exitCode, whole.output).toBe(0);
  const unsharded = project.verdict();

  const reports = path.join(project.dir, 'all-blob-reports');
  await runShards(project, args, 2, reports);
  expect(fs.readdirSync(reports)).toHaveLength(2);
  // A shard judges nothing, so its gate reporter did not remove the run's scratch folder; its runner did.
  expect(fs.readdirSync(path.join(project.dir, '.packgate/runs'))).toEqual([]);
  // A CI merge job's machine has no browser (here: PACKGATE_CHROMIUM naming none); a merge launches none.
  const merged = await mergeReports(project, reports, { PACKGATE_CHROMIUM: '/no/such/chromium' });
  expect(merged.exitCode, merged.output).toBe(0);
  expect(merged.stdout).toContain('packgate PASS: local (dev): 8 passed');
  expect(judged(project.verdict())).toEqual(judged(unsharded));
  // Every test of the api layer, once: as many as the unsharded run judged.
  const tests = unsharded.packs.reduce((n, p) => n + p.tests.total, 0);
  expect(tests).toBeGreaterThan(30);
  expect(project.verdict().packs.reduce((n, p) => n + p.tests.total, 0)).toBe(tests);
  // The merge's run settings are the shards' together, as Playwright merges them: workers summed, no shard.
  expect(project.verdict().run).toMatchObject({ workers: 2 * unsharded.run!.workers, shard: null });
  // The merge's reports are the whole run's, and only its: the last shard's were cleared. Each shard
  // ran the sign-in setup in full (Playwright runs a dependency whole in every shard): two personas each.
  const setups = 2 * 2;
  const allure = fs.readdirSync(path.join(project.dir, 'gate-results/allure-results'));
  expect(allure.filter(name => name.endsWith('-result.json'))).toHaveLength(tests + setups);
  expect(project.read('gate-results/junit.xml').match(/<testcase /g)).toHaveLength(tests + setups);
});

test("a merge missing a shard's report blocks, naming the tests no report holds", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const reports = path.join(project.dir, 'all-blob-reports');
  await runShards(project, ['--project=local-api'], 2, reports);
  fs.rmSync(
    path.join(
      reports,
      fs.readdirSync(reports).find(f => f.startsWith('shard-2-'))!,
    ),
  );
  const merged = await mergeReports(project, reports);
  expect(merged.exitCode, merged.output).toBe(1);
  const verdict = project.verdict();
  expect(verdict).toMatchObject({ verdict: 'BLOCKED', complete: false });
  expect(verdict.problems.map(p => p.message)).toContainEqual(
    expect.stringMatching(
      /^\d+ tests of the environment's packs are in none of the merged reports: a shard's blob report is missing/,
    ),
  );
  // The tests of the lost shard are named, each as not run by this merge.
  const lost = verdict.packs.flatMap(p => p.missingTests).filter(t => t.startsWith('api: '));
  expect(lost.length).toBeGreaterThan(0);
  expect(verdict.problems.find(p => p.severity === 'error')!.message).toMatch(new RegExp(`^${lost.length} tests`));
});

test('a merge of shards run with a fault injected is a drill, as each shard was: the fault in its verdict, narrowed', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const reports = path.join(project.dir, 'all-blob-reports');
  fs.mkdirSync(reports, { recursive: true });
  for (const current of [1, 2]) {
    const shard = await project.playwright(['--project=local-api', `--shard=${current}/2`], {
      PACKGATE_STACK_FAULTS: 'traceparent-dropped',
    });
    expect(project.verdict().headline, shard.output).toBe(
      `BLOCKED: local (dev): no verdict: shard ${current}/2 of a run`,
    );
    for (const file of fs.readdirSync(path.join(project.dir, 'blob-report')))
      fs.copyFileSync(path.join(project.dir, 'blob-report', file), path.join(reports, `shard-${current}-${file}`));
  }
  // The merge job has no PACKGATE_STACK_FAULTS of its own, as a CI merge job has none.
  const merged = await mergeReports(project, reports);
  expect(merged.exitCode, merged.output).toBe(1);
  const verdict = project.verdict();
  // Before: faults [] and narrowed [], so the store recorded a BLOCKED release-gate run of local.
  expect(verdict).toMatchObject({ verdict: 'BLOCKED', faults: ['traceparent-dropped'] });
  expect(verdict.narrowed).toContain('faults injected: traceparent-dropped (a drill of the gate)');
  expect(verdict.packs.find(p => p.id === 'platform-proxy')!.status).toBe('FAIL');
});

/**
 * merge-reports run in packgate's own checkout, whose test-results/self holds its test suite's output
 * (each test's copy of a project, its queue.db among them). Before, the merge swept every project's
 * output folder as its own: it rewrote the text it found a secret in and deleted what it could not
 * read as text (a SQLite file), as quarantined. A merge runs no test; those files are not its output.
 */
test("a merge leaves the project's test-results alone: nothing read, rewritten or deleted there", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const reports = path.join(project.dir, 'all-blob-reports');
  fs.mkdirSync(reports, { recursive: true });
  const shard = await project.playwright(['--project=local-api', '--shard=1/2']);
  expect(project.verdict().headline, shard.output).toBe('BLOCKED: local (dev): no verdict: shard 1/2 of a run');
  for (const file of fs.readdirSync(path.join(project.dir, 'blob-report')))
    fs.copyFileSync(path.join(project.dir, 'blob-report', file), path.join(reports, file));
  // What packgate's own test suite leaves there: a store file, and a log with a token in it.
  const own = path.join(project.dir, 'test-results/self/cli-task-start/project/.packgate');
  const files = {
    [path.join(own, 'queue.db')]: Buffer.from([0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x00, 0xff, 0xfe, 0x80, 0x00, 0x01]),
    [path.join(own, 'run.log')]: Buffer.from(
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\n',
    ),
  };
  fs.mkdirSync(own, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) fs.writeFileSync(file, bytes);

  const merged = await mergeReports(project, reports);
  // One shard of two: the merge blocks, naming the missing one; what matters here is what it touched.
  expect(merged.exitCode, merged.output).toBe(1);
  for (const [file, bytes] of Object.entries(files)) {
    expect(fs.existsSync(file), file).toBe(true);
    expect(fs.readFileSync(file).equals(bytes), file).toBe(true);
  }
  // Nor named as quarantined in what the merge says.
  expect(merged.output).not.toContain('cli-task-start');
});
