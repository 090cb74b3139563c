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
import Database from 'better-sqlite3';
import pg from 'pg';
import { startDashboard } from '../src/dashboard/server.ts';
import { openStore, type StoreLocation } from '../src/store/open.ts';
import { openStoreReadOnly } from '../src/store/open-read-only.ts';
import { numberPlaceholders, type SqlValue } from '../src/store/sql.ts';
import { postgresAvailability, startPostgres } from '../test/helpers/postgres.ts';
import { log, machine, median, root } from './lib.ts';

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

type Insert = (table: string, columns: string[], rows: SqlValue[][]) => Promise<void>;

async function main(): Promise<void> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const results: Array<{ adapter: string; timings: Timing[] }> = [];
  if (adapters.includes('sqlite')) {
    const location: StoreLocation = { kind: 'sqlite', path: path.join(out, 'queue.db') };
    await (await openStore(location)).close();
    const db = new Database(location.path);
    await fill(async (table, columns, rows) => {
      const insert = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      db.transaction(() => rows.forEach(r => insert.run(...r)))();
    });
    db.close();
    results.push({ adapter: 'sqlite', timings: await time(location) });
  }
  const availability = postgresAvailability();
  if (adapters.includes('postgres') && availability.ok) {
    const cluster = await startPostgres({ durable: true });
    try {
      const url = await cluster.createDatabase('bench');
      const location: StoreLocation = { kind: 'postgres', url, display: url, urlEnv: 'PACKGATE_STORE_URL' };
      await (await openStore(location)).close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await fill(async (table, columns, rows) => {
        for (let i = 0; i < rows.length; i += 1000) {
          const chunk = rows.slice(i, i + 1000);
          const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
          await client.query(
            numberPlaceholders(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`),
            chunk.flat(),
          );
        }
      });
      await client.query('ANALYZE');
      await client.end();
      results.push({ adapter: 'postgres', timings: await time(location) });
    } finally {
      await cluster.stop();
    }
  } else if (adapters.includes('postgres')) log(`PostgreSQL skipped: ${availability.ok ? '' : availability.reason}`);
  const report = render(results);
  process.stdout.write(`\n${report}\n`);
  if (process.argv.includes('--record')) {
    const file = path.join(root, 'bench/RESULTS.md');
    const marker = '<!-- results: newest first -->\n';
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(marker, `${marker}\n${report}`));
    log('recorded in bench/RESULTS.md');
  }
}

/** The rows: tasks with packets and their first transitions, sessions and holds, runs with packs and evidence. */
async function fill(insert: Insert): Promise<void> {
  const started = Date.now();
  const at = (i: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + i * 60_000).toISOString();
  const tasks: SqlValue[][] = [];
  const transitions: SqlValue[][] = [];
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
    tasks.push([
      id,
      `task ${i}`,
      state,
      i % 7 === 0 ? 'bugfix' : 'feature',
      lane,
      `track-${i % 50}`,
      packet,
      `digest-${i}`,
      at(i),
      'bench',
      at(i),
    ]);
    transitions.push([id, null, state, 'bench', 'filled', at(i)]);
  }
  await insert(
    'tasks',
    [
      'id',
      'title',
      'state',
      'kind',
      'owner_lane',
      'track_id',
      'packet',
      'packet_digest',
      'created_at',
      'created_by',
      'updated_at',
    ],
    tasks,
  );
  await insert('transitions', ['task_id', 'from_state', 'to_state', 'actor', 'reason', 'at'], transitions);
  const sessions = Array.from({ length: 50 }, (_, i) => [
    `s-${i}`,
    'bench',
    'host',
    i,
    at(0),
    i % 5 ? new Date().toISOString() : at(0),
  ]);
  await insert('sessions', ['id', 'actor', 'host', 'pid', 'started_at', 'heartbeat_at'], sessions);
  const held = tasks.filter(t => t[2] === 'in_progress').map((t, i) => [t[0], `s-${i % 50}`, at(0), null, null, null]);
  await insert('holds', ['task_id', 'session_id', 'claimed_at', 'worktree', 'branch', 'base_commit'], held);
  const escalations = tasks
    .filter(t => t[2] === 'escalated')
    .slice(0, 200)
    .map(t => [t[0], 'drift', 'crossed a boundary', '[]', '[]', null, null, '[]', 1, at(1), 'bench']);
  await insert(
    'escalations',
    [
      'task_id',
      'source',
      'reason',
      'crossed',
      'paths',
      'base_commit',
      'head_commit',
      'stop_conditions',
      'moved',
      'created_at',
      'created_by',
    ],
    escalations,
  );
  const holds = Array.from({ length: 20 }, (_, i) => [
    `T-${String(i * 7).padStart(5, '0')}`,
    `pack-${i % PACKS}`,
    'open bug fix',
    at(2),
    'bench',
  ]);
  await insert('release_holds', ['task_id', 'pack', 'reason', 'since', 'created_by'], holds);
  const runs: SqlValue[][] = [];
  const packs: SqlValue[][] = [];
  const evidence: SqlValue[][] = [];
  for (let r = 1; r <= RUNS; r++) {
    const environment = r % 2 ? 'local' : 'demo';
    const failing = r % 9 === 0;
    runs.push([
      r,
      null,
      environment,
      environment === 'local' ? 'dev' : 'demo',
      failing ? 'BLOCKED' : 'PASS',
      'abc',
      0,
      'npx playwright test',
      '[]',
      at(r * 30),
      60_000,
      at(r * 30),
      'bench',
      '0'.repeat(64),
      '[]',
    ]);
    for (let p = 0; p < PACKS; p++) {
      const fail = failing && p === r % PACKS;
      packs.push([r, `pack-${p}`, fail ? 'FAIL' : 'PASS', 'blocking', fail ? 1 : 0, fail ? 'failed' : 'passed']);
    }
    for (let f = 0; f < FILES_PER_RUN; f++)
      evidence.push([
        r,
        `evidence/pack-${f % PACKS}/file-${f}.json`,
        `pack-${f % PACKS}`,
        (r * 100 + f).toString(16).padStart(64, '0'),
        100,
      ]);
  }
  await insert(
    'gate_runs',
    [
      'id',
      'task_id',
      'environment',
      'stage',
      'verdict',
      'git_commit',
      'git_dirty',
      'command',
      'projects',
      'started_at',
      'duration_ms',
      'recorded_at',
      'recorded_by',
      'verdict_digest',
      'problems',
    ],
    runs,
  );
  await insert('gate_run_packs', ['run_id', 'pack', 'status', 'policy', 'blocks', 'reason'], packs);
  await insert('evidence', ['run_id', 'path', 'pack', 'digest', 'size'], evidence);
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
