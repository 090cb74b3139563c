/**
 * `node --import tsx bench/dashboard.ts [--record]`: the dashboard's response times over a big store,
 * on SQLite and on PostgreSQL: 10,000 tasks and 100,000 evidence records (2,000 release-gate runs of
 * two environments, ten packs and fifty evidence files each), with sessions, holds and escalations.
 *
 * The store is filled with bulk SQL (what the views read is the rows, however they were written),
 * then a dashboard is started on it, read-only, and each view is fetched: its first response (the
 * first request to a server started for it, after one warm-up request to the process) and the
 * median of 11 more. Targets: every view under 200 ms, the release view under 100 ms. `--record` adds the table to bench/RESULTS.md.
 * BENCH_DASHBOARD_ADAPTERS (default `sqlite,postgres`) picks the adapters.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startDashboard } from '../src/dashboard/server.ts';
import { openStore, type StoreLocation } from '../src/store/open.ts';
import { openStoreReadOnly } from '../src/store/open-read-only.ts';
import { bulkInsert, type BulkInsert, type Rows } from './bulk-insert.ts';
import { log, machine, median, recordResults, root } from './lib.ts';
import { onPostgres } from './on-postgres.ts';

const out = path.join(root, 'bench/out/dashboard');
const TASKS = 10_000;
const RUNS = 2_000;
const PACKS = 10;
const FILES_PER_RUN = 50;
const STATES = ['proposed', 'ready', 'in_progress', 'in_review', 'done', 'parked', 'blocked', 'escalated'];
const LANES = ['C-ops', 'A-web', 'B-runtime', 'D-platform-control', 'P-platform', 'Q-gate'];
const adapters = (process.env.BENCH_DASHBOARD_ADAPTERS ?? 'sqlite,postgres').split(',');

/** The views, as a person opens them (and the release view's API). */
const VIEWS = [
  ['release', '/'],
  ['release API', '/api/release'],
  ['trends', '/trends'],
  ['gate runs', '/runs'],
  ['gate run', `/runs/${RUNS}`],
  ['queue', '/queue'],
  ['queue, filtered', '/queue?lane=Q-gate&state=ready&pack=pack-3'],
  ['task', '/tasks/T-09999'],
  ['health', '/health'],
] as const;

type Timing = { view: string; first: number; median: number };

async function main(): Promise<void> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const results: Array<{ adapter: string; timings: Timing[] }> = [];
  const filledAndTimed = async (location: StoreLocation) => {
    await (await openStore(location)).close();
    const bulk = await bulkInsert(location);
    try {
      await fill(bulk);
      // PostgreSQL's autovacuum would analyze a store this size soon; nothing analyzes a SQLite store.
      if (location.kind === 'postgres') await bulk.analyze();
    } finally {
      await bulk.close();
    }
    return { adapter: location.kind, timings: await time(location) };
  };
  if (adapters.includes('sqlite'))
    results.push(await filledAndTimed({ kind: 'sqlite', path: path.join(out, 'queue.db') }));
  const postgres = await onPostgres(adapters, filledAndTimed);
  if (postgres) results.push(postgres);
  const report = render(results);
  process.stdout.write(`\n${report}\n`);
  if (process.argv.includes('--record')) recordResults(report);
}

/** The rows: tasks with packets and their first transitions, sessions and holds, runs with packs and evidence. */
async function fill(bulk: BulkInsert): Promise<void> {
  const started = Date.now();
  const at = (i: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + i * 60_000).toISOString();
  const tasks: Rows = [];
  const transitions: Rows = [];
  for (let i = 0; i < TASKS; i++) {
    const id = `T-${String(i).padStart(5, '0')}`;
    const lane = LANES[i % LANES.length];
    const state = STATES[i % STATES.length];
    const packet = JSON.stringify({
      task_id: id,
      owner_lane: lane,
      workflow_regression_pack: `pack-${i % PACKS}`,
      environment: i % 2 ? 'demo' : 'local',
      goal: `goal ${i}`,
    });
    tasks.push({
      id,
      title: `task ${i}`,
      state,
      kind: i % 7 === 0 ? 'bugfix' : 'feature',
      owner_lane: lane,
      track_id: `track-${i % 50}`,
      packet,
      packet_digest: `digest-${i}`,
      created_at: at(i),
      created_by: 'bench',
      updated_at: at(i),
    });
    transitions.push({ task_id: id, from_state: null, to_state: state, actor: 'bench', reason: 'filled', at: at(i) });
  }
  await bulk.insert('tasks', tasks);
  await bulk.insert('transitions', transitions);
  const sessions = Array.from({ length: 50 }, (_, i) => ({
    id: `s-${i}`,
    actor: 'bench',
    host: 'host',
    pid: i,
    started_at: at(0),
    heartbeat_at: i % 5 ? new Date().toISOString() : at(0),
  }));
  await bulk.insert('sessions', sessions);
  const inProgress = tasks.filter(t => t.state === 'in_progress');
  await bulk.insert(
    'holds',
    inProgress.map((t, i) => ({
      task_id: t.id,
      session_id: `s-${i % 50}`,
      claimed_at: at(0),
      worktree: null,
      branch: null,
      base_commit: null,
    })),
  );
  const escalated = tasks.filter(t => t.state === 'escalated').slice(0, 200);
  await bulk.insert(
    'escalations',
    escalated.map(t => ({
      task_id: t.id,
      source: 'drift',
      reason: 'crossed a boundary',
      crossed: '[]',
      paths: '[]',
      base_commit: null,
      head_commit: null,
      stop_conditions: '[]',
      moved: 1,
      created_at: at(1),
      created_by: 'bench',
    })),
  );
  const holds = Array.from({ length: 20 }, (_, i) => ({
    task_id: `T-${String(i * 7).padStart(5, '0')}`,
    pack: `pack-${i % PACKS}`,
    reason: 'open bug fix',
    since: at(2),
    created_by: 'bench',
  }));
  await bulk.insert('release_holds', holds);
  const runs: Rows = [];
  const packs: Rows = [];
  const evidence: Rows = [];
  for (let r = 1; r <= RUNS; r++) {
    const environment = r % 2 ? 'local' : 'demo';
    const failing = r % 9 === 0;
    runs.push({
      id: r,
      task_id: null,
      environment,
      stage: environment === 'local' ? 'dev' : 'demo',
      verdict: failing ? 'BLOCKED' : 'PASS',
      git_commit: 'abc',
      git_dirty: 0,
      command: 'npx playwright test',
      projects: '[]',
      started_at: at(r * 30),
      duration_ms: 60_000,
      recorded_at: at(r * 30),
      recorded_by: 'bench',
      verdict_digest: '0'.repeat(64),
      problems: '[]',
    });
    for (let p = 0; p < PACKS; p++) {
      const fail = failing && p === r % PACKS;
      packs.push({
        run_id: r,
        pack: `pack-${p}`,
        status: fail ? 'FAIL' : 'PASS',
        policy: 'blocking',
        blocks: fail ? 1 : 0,
        reason: fail ? 'failed' : 'passed',
      });
    }
    for (let f = 0; f < FILES_PER_RUN; f++)
      evidence.push({
        run_id: r,
        path: `evidence/pack-${f % PACKS}/file-${f}.json`,
        pack: `pack-${f % PACKS}`,
        digest: (r * 100 + f).toString(16).padStart(64, '0'),
        size: 100,
      });
  }
  await bulk.insert('gate_runs', runs);
  await bulk.insert('gate_run_packs', packs);
  await bulk.insert('evidence', evidence);
  log(
    `filled ${TASKS} tasks, ${RUNS} runs, ${packs.length} pack results, ${evidence.length} evidence records in ${Date.now() - started} ms`,
  );
}

async function time(location: StoreLocation): Promise<Timing[]> {
  const store = await openStoreReadOnly(location);
  const stats = await store.stats();
  log(`${location.kind}: ${stats.tasks} tasks, ${stats.evidence} evidence records, ${stats.gateRuns} gate runs`);
  const timings: Timing[] = [];
  // The process's very first request pays for loading and compiling the server's code: paid here once.
  const warm = await startDashboard(store, { host: '127.0.0.1', port: 0 });
  await (await fetch(new URL('/api/sessions', warm.url))).arrayBuffer();
  await warm.close();
  for (const [view, url] of VIEWS) {
    // A server of its own per view: its first response is a cold one, as a person's first look.
    const dashboard = await startDashboard(store, { host: '127.0.0.1', port: 0 });
    try {
      const fetchOnce = async () => {
        const started = performance.now();
        const response = await fetch(new URL(url, dashboard.url));
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
        return performance.now() - started;
      };
      const first = await fetchOnce();
      const more: number[] = [];
      for (let i = 0; i < 11; i++) more.push(await fetchOnce());
      timings.push({ view, first, median: median(more) });
    } finally {
      await dashboard.close();
    }
  }
  await store.close();
  return timings;
}

function render(results: Array<{ adapter: string; timings: Timing[] }>): string {
  const lines = [
    `### dashboard: ${new Date().toISOString().slice(0, 10)}, ${machine()}`,
    '',
    `${TASKS.toLocaleString('en')} tasks, ${(RUNS * FILES_PER_RUN).toLocaleString('en')} evidence records ` +
      `(${RUNS.toLocaleString('en')} release-gate runs of ${PACKS} packs); ms, a view's first response from a ` +
      'server started for it / median of the next 11. Targets: each view < 200 ms, release < 100 ms.',
    '',
    `| view | ${results.map(r => `${r.adapter} first | ${r.adapter} median`).join(' | ')} |`,
    `|---|${results.map(() => '---:|---:').join('|')}|`,
  ];
  for (const [view] of VIEWS)
    lines.push(
      `| ${view} | ${results
        .map(r => {
          const t = r.timings.find(x => x.view === view)!;
          return `${t.first.toFixed(1)} | ${t.median.toFixed(1)}`;
        })
        .join(' | ')} |`,
    );
  return lines.join('\n') + '\n';
}

await main();
