/**
 * `npm run bench:store`: the queue store's write throughput and `task list` latency, on SQLite and on
 * PostgreSQL, at 10k tasks and 100k records (10k creation transitions and 90k events).
 *
 * Per adapter, on a fresh store:
 *   1. one writer creates 2,000 tasks, one transaction each: tasks per second;
 *   2. 8 writer processes create the other 8,000: tasks per second, all writers together;
 *   3. 8 writer processes add 90,000 events: records per second;
 *   4. task list (all 10k; one state and lane; next), task show: median and p95 of 21 runs each.
 * The PostgreSQL server is a throwaway one with durable settings (fsync on), as a real store has.
 * `--record` adds the figures to bench/RESULTS.md. BENCH_STORE_SCALE (default 1) scales the counts;
 * BENCH_STORE_ADAPTERS (default `sqlite,postgres`) picks the adapters.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import Database from 'better-sqlite3';
import { openStore, type StoreLocation } from '../src/store/open.ts';
import type { QueueStore } from '../src/store/queue-store.ts';
import { log, percentiles, recordResults, root } from './lib.ts';
import { onPostgres } from './on-postgres.ts';

const out = path.join(root, 'bench/out/store');
const record = process.argv.includes('--record');
const scale = Number(process.env.BENCH_STORE_SCALE ?? 1);
const SINGLE = 2000 * scale;
const WRITERS = 8;
const TASKS = 10_000 * scale;
const EVENTS = 90_000 * scale;
const RUNS = 21;
const adapters = (process.env.BENCH_STORE_ADAPTERS ?? 'sqlite,postgres').split(',');

type Figures = {
  adapter: string;
  version: string;
  singleTasksPerS: number;
  parallelTasksPerS: number;
  eventsPerS: number;
  list: Record<string, { median: number; p95: number }>;
  stats: Awaited<ReturnType<QueueStore['stats']>>;
};

async function main(): Promise<void> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const results: Figures[] = [];
  if (adapters.includes('sqlite'))
    results.push(await bench({ kind: 'sqlite', path: path.join(out, 'queue.db') }, sqliteVersion()));
  const postgres = await onPostgres(adapters, async location => bench(location, await postgresVersion(location.url)));
  if (postgres) results.push(postgres);
  const report = render(results);
  process.stdout.write(`\n${report}\n`);
  if (record) recordResults(report, '<!-- store results: newest first -->');
}

async function bench(location: StoreLocation, version: string): Promise<Figures> {
  const adapter = location.kind;
  log(`${adapter}: ${version}`);
  const store = await openStore(location);
  try {
    const started = performance.now();
    for (let i = 0; i < SINGLE; i++)
      await store.createTask(
        { id: `S-${i}`, title: `bench task S-${i}`, ownerLane: 'lane-a', trackId: 'track-0' },
        'bench',
      );
    const singleTasksPerS = SINGLE / ((performance.now() - started) / 1000);
    log(`${adapter}: 1 writer, ${SINGLE} tasks: ${Math.round(singleTasksPerS)}/s`);

    const perWriter = (TASKS - SINGLE) / WRITERS;
    const parallelMs = await writers(location, w => ['tasks', `P${w}`, String(perWriter)]);
    const parallelTasksPerS = (TASKS - SINGLE) / (parallelMs / 1000);
    log(`${adapter}: ${WRITERS} writers, ${TASKS - SINGLE} tasks: ${Math.round(parallelTasksPerS)}/s`);

    const eventsMs = await writers(location, w => ['events', `P${w}`, String(perWriter), String(EVENTS / WRITERS)]);
    const eventsPerS = EVENTS / (eventsMs / 1000);
    log(`${adapter}: ${WRITERS} writers, ${EVENTS} events: ${Math.round(eventsPerS)}/s`);

    const list: Figures['list'] = {
      [`task list (all ${TASKS})`]: await time(() => store.listTasks()),
      'task list --state ready --lane lane-b': await time(() => store.listTasks({ states: ['ready'], lane: 'lane-b' })),
      'task next': await time(() => store.nextTasks()),
      'task show (one task, its transitions and events)': await time(async () => {
        await store.requireTask('P3-17');
        await store.transitions('P3-17');
        await store.events('P3-17');
      }),
    };
    for (const [name, t] of Object.entries(list)) log(`${adapter}: ${name}: median ${t.median} ms, p95 ${t.p95} ms`);
    return { adapter, version, singleTasksPerS, parallelTasksPerS, eventsPerS, list, stats: await store.stats() };
  } finally {
    await store.close();
  }
}

/** Starts the writers, lets them go together, and returns the wall time from go to the last one done. */
async function writers(location: StoreLocation, args: (writer: number) => string[]): Promise<number> {
  const children = Array.from({ length: WRITERS }, (_, w) =>
    spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'bench/store-writer.ts'), JSON.stringify(location), ...args(w)],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    ),
  );
  await Promise.all(children.map(child => new Promise<void>(resolve => child.stdout!.once('data', () => resolve()))));
  const started = performance.now();
  for (const child of children) child.stdin!.end('go\n');
  await Promise.all(
    children.map(
      child =>
        new Promise<void>((resolve, reject) =>
          child.on('exit', code => (code === 0 ? resolve() : reject(new Error(`a writer exited ${code}`)))),
        ),
    ),
  );
  return performance.now() - started;
}

/** Median and p95 of RUNS calls, after one that warms up. */
async function time(fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  await fn();
  return percentiles(fn, RUNS);
}

function render(results: Figures[]): string {
  const names = Object.keys(results[0].list);
  const row = (label: string, cell: (f: Figures) => string) => `| ${label} | ${results.map(cell).join(' | ')} |`;
  const records = (f: Figures) => f.stats.transitions + f.stats.events;
  return [
    `### ${new Date().toISOString().slice(0, 10)}: ${TASKS.toLocaleString('en')} tasks, ${records(results[0]).toLocaleString('en')} records`,
    '',
    `| figure | ${results.map(f => f.adapter).join(' | ')} |`,
    `| --- |${results.map(() => ' --- |').join('')}`,
    row(`write: 1 writer, ${SINGLE} tasks (one transaction each)`, f => `${Math.round(f.singleTasksPerS)} tasks/s`),
    row(`write: ${WRITERS} processes, ${TASKS - SINGLE} tasks`, f => `${Math.round(f.parallelTasksPerS)} tasks/s`),
    row(`write: ${WRITERS} processes, ${EVENTS} events`, f => `${Math.round(f.eventsPerS)} records/s`),
    ...names.map(name => row(`${name}, median / p95`, f => `${f.list[name].median} / ${f.list[name].p95} ms`)),
    row('rows at the end: tasks, transitions + events', f => `${f.stats.tasks}, ${records(f)}`),
    '',
    `Machine: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, ` +
      `load average ${os.loadavg()[0].toFixed(1)} at the end; Node ${process.version}; ` +
      `better-sqlite3 ${packageVersion('better-sqlite3')}, pg ${packageVersion('pg')}; ${results.map(f => f.version).join('; ')}.`,
  ].join('\n');
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return `SQLite ${(db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v} (WAL, synchronous=NORMAL)`;
  } finally {
    db.close();
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return `PostgreSQL ${rows[0].v.split(' ')[0]} (fsync on, unix socket)`;
  } finally {
    await client.end();
  }
}

function packageVersion(name: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

await main();
