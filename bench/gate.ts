/**
 * The full local gate, as a user runs it (part of `npm run bench`):
 * 1. wall time from `npx playwright test` to its exit (stack start included), against the run's
 *    physical limit on this machine: the larger of its critical path (the longest chain of
 *    dependent tests: the sign-ins, one after the other, then the slowest test that waits for them) and its total
 *    test time divided by its workers (goal: about 15 s, wall / limit <= 1.2, median of 5);
 * 2. with sign-in broken (callback-unregistered), the full gate's wall against auth-session's own
 *    run with the same fault (goal: within 1.1x, dependents not waiting on timeouts);
 * 3. `--soak N`: N healthy full gates in a row, counting failed and flaky tests (goal: none).
 * Each run is in a fresh copy of the project on its own ports. `--record` adds the figures to
 * bench/RESULTS.md. BENCH_ROUNDS (default 5) rounds for 1 and 2; `--only healthy` or `--only broken`
 * runs one of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadCatalogueOrThrow } from '../src/catalogue/load.ts';
import type { VerdictFile } from '../src/schema/verdict.ts';
import { freePorts } from '../test/helpers/ports.ts';
import { copyProject } from '../test/helpers/temp-project.ts';
import { exec, log, machine, median, out, recordResults, root } from './lib.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const WORKERS = 2;
const record = process.argv.includes('--record');
const soakIndex = process.argv.indexOf('--soak');
const soak = soakIndex === -1 ? 0 : Number(process.argv[soakIndex + 1] ?? 10);
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1];
if (only !== undefined && only !== 'healthy' && only !== 'broken') {
  process.stderr.write(`bench/gate.ts: --only takes "healthy" or "broken", not "${only}"\n`);
  process.exit(2);
}

/** A test as its evidence records it: its pack, project, title and the time its attempts took. */
type TestTime = { pack: string; project: string; title: string; durationMs: number };

type GateRun = { ms: number; code: number; verdict: VerdictFile; tests: TestTime[] };

async function main(): Promise<void> {
  const lines = soak
    ? await soakRuns(soak)
    : [...(only !== 'broken' ? await fullGate() : []), ...(only !== 'healthy' ? await brokenSignIn() : [])];
  const report = [
    `### ${new Date().toISOString().slice(0, 10)}: ${soak ? `soak, ${soak} full gates` : `full local gate${only ? `, ${only} only` : ''}`}`,
    '',
    ...lines,
    '',
    machine(),
    '',
  ].join('\n');
  process.stdout.write(`\n${report}`);
  if (record) recordResults(report);
}

async function fullGate(): Promise<string[]> {
  const runs: Array<{ ms: number; limit: Limit }> = [];
  for (let round = 1; round <= rounds; round++) {
    const run = await gateRun([], {});
    if (run.code !== 0) throw new Error(`the healthy full gate failed: ${run.verdict.headline}`);
    const limit = limitOf(run.tests, WORKERS);
    runs.push({ ms: run.ms, limit });
    log(
      `full gate ${round}/${rounds}: ${run.ms} ms; critical path ${limit.critical} ms (${limit.chain.join(' -> ')}); ` +
        `test time / ${WORKERS} workers ${limit.perWorker} ms; wall / limit ${(run.ms / limit.ms).toFixed(3)}`,
    );
  }
  const ratios = runs.map(r => r.ms / r.limit.ms);
  return [
    '| figure | value | goal |',
    '| --- | --- | --- |',
    `| full local gate, 8 packs, ${WORKERS} workers, stack start included: median wall | ${median(runs.map(r => r.ms))} ms | ~15 s |`,
    `| critical path (the sign-ins, then the slowest test waiting for them), median | ${median(runs.map(r => r.limit.critical))} ms | |`,
    `| total test time / ${WORKERS} workers, median | ${median(runs.map(r => r.limit.perWorker))} ms | |`,
    `| wall / limit (the larger of the two), median of the per-run ratios | ${median(ratios.map(r => Math.round(r * 1000))) / 1000} | <= 1.2 |`,
    '',
    `Raw: walls ${runs.map(r => r.ms).join(', ')} ms; critical paths ${runs.map(r => r.limit.critical).join(', ')} ms; ` +
      `test time / workers ${runs.map(r => r.limit.perWorker).join(', ')} ms. Critical path of the first run: ${runs[0].limit.chain.join(' -> ')}.`,
  ];
}

type Limit = { ms: number; critical: number; chain: string[]; perWorker: number };

/**
 * How fast the run could be on this machine: no faster than its longest chain of tests that wait
 * for each other (a test of a pack that signs in waits for the sign-in setup; the others wait for
 * nothing), nor than all its test time spread evenly over the workers.
 */
function limitOf(tests: readonly TestTime[], workers: number): Limit {
  const signsIn = new Set(
    [...loadCatalogueOrThrow(root).packs.values()].filter(p => p.value.identity).map(p => p.value.id),
  );
  const slowest = (list: readonly TestTime[]) => [...list].sort((a, b) => b.durationMs - a.durationMs)[0];
  // The setup signs its personas in one after the other, in one worker.
  const setup = tests.filter(t => t.project.endsWith('-sign-in'));
  const waiting = slowest(tests.filter(t => !t.project.endsWith('-sign-in') && signsIn.has(t.pack)));
  const alone = slowest(tests.filter(t => !t.project.endsWith('-sign-in') && !signsIn.has(t.pack)));
  const name = (t: TestTime) => `${t.project} › ${t.title} (${t.durationMs} ms)`;
  const chained = setup.length && waiting ? setup.reduce((ms, t) => ms + t.durationMs, 0) + waiting.durationMs : 0;
  const [critical, chain] =
    chained >= (alone?.durationMs ?? 0)
      ? [chained, [...setup, waiting].filter(Boolean).map(t => name(t!))]
      : [alone!.durationMs, [name(alone!)]];
  const perWorker = Math.round(tests.reduce((ms, t) => ms + t.durationMs, 0) / workers);
  return { ms: Math.max(critical, perWorker), critical, chain, perWorker };
}

async function brokenSignIn(): Promise<string[]> {
  const fault = { PACKGATE_STACK_FAULTS: 'callback-unregistered' };
  const full: number[] = [];
  const alone: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternating which goes first, so drift on a shared machine falls on both.
    const pair = round % 2 ? [false, true] : [true, false];
    for (const onlyAuth of pair) {
      const run = await gateRun(onlyAuth ? ['packs/auth-session/'] : [], fault);
      const blocked = run.verdict.packs.filter(p => p.status === 'BLOCKED_BY_UPSTREAM').length;
      if (run.code !== 1) throw new Error(`with sign-in broken the gate must block: ${run.verdict.headline}`);
      (onlyAuth ? alone : full).push(run.ms);
      log(
        `sign-in broken, ${onlyAuth ? 'auth-session alone' : `full gate (${blocked} blocked by upstream)`}: ${run.ms} ms`,
      );
    }
  }
  const ratio = median(full) / median(alone);
  return [
    '',
    '| with sign-in broken (callback-unregistered) | value | goal |',
    '| --- | --- | --- |',
    `| full gate, median wall | ${median(full)} ms | |`,
    `| auth-session alone, median wall | ${median(alone)} ms | |`,
    `| full gate / auth-session alone | ${ratio.toFixed(3)} | <= 1.1 |`,
    '',
    `Raw: full ${full.join(', ')} ms; auth-session alone ${alone.join(', ')} ms.`,
  ];
}

async function soakRuns(count: number): Promise<string[]> {
  let failed = 0;
  let flaky = 0;
  const walls: number[] = [];
  for (let i = 1; i <= count; i++) {
    const run = await gateRun([], {});
    const tests = run.verdict.packs.map(p => p.tests);
    failed += tests.reduce((n, t) => n + t.failed, 0);
    flaky += tests.reduce((n, t) => n + t.flaky, 0);
    walls.push(run.ms);
    log(`soak ${i}/${count}: ${run.verdict.headline} (${run.ms} ms)`);
  }
  return [
    '| figure | value | goal |',
    '| --- | --- | --- |',
    `| healthy full gates in a row | ${count} | 10 |`,
    `| failed tests | ${failed} | 0 |`,
    `| flaky tests (passed on retry) | ${flaky} | 0 |`,
    `| median wall | ${median(walls)} ms | |`,
  ];
}

/** One `playwright test` in a fresh copy of the project on free ports, timed from spawn to exit. */
async function gateRun(args: string[], env: Record<string, string>): Promise<GateRun> {
  const dir = path.join(out, 'gate-project');
  copyProject(dir);
  const [app, idp, api] = await freePorts(3);
  const { code, ms } = await exec(dir, ['node_modules/@playwright/test/cli.js', 'test', ...args], {
    PACKGATE_LOCAL_APP_URL: `http://127.0.0.1:${app}`,
    PACKGATE_LOCAL_ISSUER_URL: `http://127.0.0.1:${idp}/realms/gpuaas`,
    PACKGATE_LOCAL_API_URL: `http://127.0.0.1:${api}`,
    ...env,
  });
  const results = path.join(dir, 'gate-results');
  const verdict = JSON.parse(fs.readFileSync(path.join(results, 'verdict.json'), 'utf8')) as VerdictFile;
  // A pack none of whose tests ran (not selected) has no evidence. The sign-in setup's tests are in
  // the evidence of the pack that proves the sign-in.
  const tests = verdict.packs.flatMap(p => {
    const file = path.join(results, p.evidence.dir, 'evidence.json');
    if (!fs.existsSync(file)) return [];
    const evidence = JSON.parse(fs.readFileSync(file, 'utf8')) as { tests: Array<Omit<TestTime, 'pack'>> };
    return evidence.tests.map(t => ({ pack: p.id, project: t.project, title: t.title, durationMs: t.durationMs }));
  });
  return { ms, code, verdict, tests };
}

await main();
