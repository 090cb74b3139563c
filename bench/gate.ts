/**
 * The full local gate, as a user runs it (part of `npm run bench`):
 * 1. wall time from `npx playwright test` to its exit (stack start included), and that wall divided
 *    by the run's critical path: the longest chain of dependent packs (depends_on), each pack's
 *    journeys timed as one worker would run them one after another (goal: about 15 s, ratio <= 1.3);
 * 2. with sign-in broken (callback-unregistered), the full gate's wall against auth-session's own
 *    run with the same fault (goal: within 1.2x, dependents not waiting on timeouts);
 * 3. `--soak N`: N healthy full gates in a row, counting failed and flaky tests (goal: none).
 * Each run is in a fresh copy of the project on its own ports. `--record` adds the figures to
 * bench/RESULTS.md. BENCH_ROUNDS (default 3) rounds for 1 and 2; `--only healthy` or `--only broken`
 * runs one of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadCatalogueOrThrow } from '../src/catalogue/load.ts';
import type { VerdictFile } from '../src/schema/verdict.ts';
import { freePorts } from '../test/helpers/ports.ts';
import { copyProject } from '../test/helpers/temp-project.ts';
import { exec, log, machine, median, out, recordResults, root } from './lib.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const record = process.argv.includes('--record');
const soakIndex = process.argv.indexOf('--soak');
const soak = soakIndex === -1 ? 0 : Number(process.argv[soakIndex + 1] ?? 10);
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1];
if (only !== undefined && only !== 'healthy' && only !== 'broken') {
  process.stderr.write(`bench/gate.ts: --only takes "healthy" or "broken", not "${only}"\n`);
  process.exit(2);
}

type GateRun = { ms: number; code: number; verdict: VerdictFile; durations: Map<string, number> };

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
  const runs: Array<{ ms: number; critical: number; chain: string[] }> = [];
  for (let round = 1; round <= rounds; round++) {
    const run = await gateRun([], {});
    if (run.code !== 0) throw new Error(`the healthy full gate failed: ${run.verdict.headline}`);
    const { ms: critical, chain } = criticalPath(run.durations);
    runs.push({ ms: run.ms, critical, chain });
    log(`full gate ${round}/${rounds}: ${run.ms} ms; critical path ${chain.join(' -> ')} ${critical} ms`);
  }
  const wall = median(runs.map(r => r.ms));
  const ratios = runs.map(r => r.ms / r.critical);
  return [
    '| figure | value | goal |',
    '| --- | --- | --- |',
    `| full local gate, 8 packs, 2 workers, stack start included: median wall | ${wall} ms | ~15 s |`,
    `| critical path (${runs[0].chain.join(' -> ')}), median | ${median(runs.map(r => r.critical))} ms | |`,
    `| wall / critical path, median of the per-run ratios | ${median(ratios.map(r => Math.round(r * 1000))) / 1000} | <= 1.3 |`,
    '',
    `Raw: walls ${runs.map(r => r.ms).join(', ')} ms; critical paths ${runs.map(r => r.critical).join(', ')} ms.`,
  ];
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
    `| full gate / auth-session alone | ${ratio.toFixed(3)} | <= 1.2 |`,
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
  const durations = new Map(
    verdict.packs.map(p => {
      // A pack none of whose tests ran (not selected) has no evidence: it took no time.
      const file = path.join(results, p.evidence.dir, 'evidence.json');
      if (!fs.existsSync(file)) return [p.id, 0];
      const evidence = JSON.parse(fs.readFileSync(file, 'utf8')) as { tests: Array<{ durationMs: number }> };
      return [p.id, evidence.tests.reduce((ms, t) => ms + t.durationMs, 0)];
    }),
  );
  return { ms, code, verdict, durations };
}

/** The chain of dependent packs whose journeys, run one after another, take longest. */
function criticalPath(durations: Map<string, number>): { ms: number; chain: string[] } {
  const packs = loadCatalogueOrThrow(root).packs;
  const longest = (id: string): { ms: number; chain: string[] } => {
    const upstream = (packs.get(id)?.value.depends_on ?? []).map(longest).sort((a, b) => b.ms - a.ms)[0];
    const own = durations.get(id) ?? 0;
    return upstream ? { ms: upstream.ms + own, chain: [...upstream.chain, id] } : { ms: own, chain: [id] };
  };
  return [...packs.keys()].map(longest).sort((a, b) => b.ms - a.ms)[0];
}

await main();
