/**
 * `npm run bench:queue-health`: `packgate queue health` over 10,000 tasks and 100,000 evidence
 * records, on SQLite and on PostgreSQL (goal: under 1 s each).
 *
 * Per adapter, on a fresh store (migrated by the store itself, then filled by bulk SQL inserts,
 * which is quick and is not what is measured):
 *   1. 10,000 tasks in every state and kind, with packets naming their pack, their transitions,
 *      handoffs, bug-fix records and proofs, watch runs, checkpoints and escalations; 10,000 gate
 *      runs (6,000 on tasks, 4,000 release-gate runs) with 100,000 evidence rows;
 *   2. the library call (`queueHealth`: one snapshot read, then the rules): median and p95 of 11 runs;
 *   3. the CLI (`packgate queue health --json`, a process each): median of 5 runs, beside the
 *      CLI's start-up floor (`packgate queue health --help`, which loads no store).
 * `--record` adds the figures to bench/RESULTS.md. BENCH_QUEUE_ADAPTERS (default `sqlite,postgres`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { queueHealth } from '../src/coordinator/queue-health-run.ts';
import { loadGovernanceOrThrow } from '../src/governance/load-governance.ts';
import { loadManifest, openStore, type StoreLocation } from '../src/store/open.ts';
import { bulkInsert, type Rows } from './bulk-insert.ts';
import { exec, log, median, percentiles, recordResults, root } from './lib.ts';
import { onPostgres } from './on-postgres.ts';

const TASKS = 10_000;
const RELEASE_RUNS = 4_000;
const EVIDENCE_PER_RUN = 10;
const record = process.argv.includes('--record');
const adapters = (process.env.BENCH_QUEUE_ADAPTERS ?? 'sqlite,postgres').split(',');
const out = path.join(root, 'bench/out/queue-health');
const STATES = [
  'done',
  'done',
  'done',
  'done',
  'done',
  'done',
  'done',
  'done',
  'in_review',
  'in_review',
  'in_review',
  'in_review',
  'in_progress',
  'in_progress',
  'in_progress',
  'ready',
  'ready',
  'escalated',
  'parked',
  'parked',
] as const;
const PACKS = ['auth-session', 'app-launch', 'demo-deploy', 'node-inventory', 'platform-proxy', 'terminal', 'v3-shell'];

type Figures = {
  adapter: string;
  library: { median: number; p95: number };
  cli: number;
  floor: number;
  debt: { legacy: number; new: number };
  rows: Record<string, number>;
};

async function main(): Promise<void> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  // A project the CLI runs in: packgate.yaml and governance.yaml, the cutoff halfway through the tasks' dates.
  fs.copyFileSync(path.join(root, 'packgate.yaml'), path.join(out, 'packgate.yaml'));
  fs.writeFileSync(
    path.join(out, 'governance.yaml'),
    fs
      .readFileSync(path.join(root, 'governance.yaml'), 'utf8')
      .replace(/legacy_before: .*/, 'legacy_before: 2025-07-01'),
  );
  const results: Figures[] = [];
  if (adapters.includes('sqlite'))
    results.push(await bench({ kind: 'sqlite', path: path.join(out, '.packgate/queue.db') }, {}));
  const postgres = await onPostgres(adapters, location => bench(location, { PACKGATE_STORE_URL: location.url }));
  if (postgres) results.push(postgres);
  const report = render(results);
  process.stdout.write(`\n${report}\n`);
  if (record) recordResults(report, '<!-- queue health results: newest first -->', `## Queue health\n\n${INTRO}`);
}

const INTRO = `\`packgate queue health\` over 10,000 tasks and 100,000 evidence records (bench/queue-health.ts): the
store filled by bulk SQL (tasks in every state and kind with packets, transitions, handoffs, bug-fix
records and proofs, watch runs, checkpoints, escalations; 10,000 gate runs with 10 evidence rows each),
then the library call timed (one snapshot read in eight queries, then the rules) and the CLI run as a
process. The CLI figure includes the process start-up (tsx, the CLI's modules), shown apart as the
floor. The machine is shared with other test runs: read the figures as orders of magnitude.
`;

async function bench(location: StoreLocation, env: Record<string, string>): Promise<Figures> {
  const adapter = location.kind;
  const store = await openStore(location);
  await store.close();
  const started = performance.now();
  await fill(location);
  log(`${adapter}: filled in ${Math.round(performance.now() - started)} ms`);
  const governance = loadGovernanceOrThrow(out, loadManifest(out))?.value;
  const opened = await openStore(location);
  try {
    const first = await queueHealth(opened, governance);
    const library = await percentiles(() => queueHealth(opened, governance), 11);
    log(`${adapter}: library median ${library.median} ms, p95 ${library.p95} ms`);
    const cliRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await exec(out, [path.join(root, 'bin/packgate.js'), 'queue', 'health', '--json'], env);
      if (run.code !== 1) throw new Error(`queue health exited ${run.code}, expected 1 (new debt)`);
      cliRuns.push(run.ms);
    }
    const floorRuns: number[] = [];
    for (let i = 0; i < 5; i++)
      floorRuns.push((await exec(out, [path.join(root, 'bin/packgate.js'), 'queue', 'health', '--help'], env)).ms);
    log(`${adapter}: CLI median ${median(cliRuns)} ms (start-up floor ${median(floorRuns)} ms)`);
    const stats = await opened.stats();
    return {
      adapter,
      library,
      cli: median(cliRuns),
      floor: median(floorRuns),
      debt: first.totals.withDebt,
      rows: { tasks: stats.tasks, events: stats.events, gateRuns: stats.gateRuns, evidence: stats.evidence },
    };
  } finally {
    await opened.close();
  }
}

/** Bulk inserts, in one transaction per table. */
async function fill(location: StoreLocation): Promise<void> {
  const bulk = await bulkInsert(location);
  try {
    for (const [table, rows] of Object.entries(generate())) await bulk.insert(table, rows);
    await bulk.analyze();
  } finally {
    await bulk.close();
  }
}

function generate(): Record<string, Rows> {
  const at = (hoursFromStart: number) =>
    new Date(Date.parse('2025-01-01T00:00:00Z') + hoursFromStart * 3_600_000).toISOString();
  const recent = new Date(Date.now() - 10 * 60_000).toISOString();
  const tasks: Rows = [];
  const transitions: Rows = [];
  const events: Rows = [];
  const checkpoints: Rows = [];
  const escalations: Rows = [];
  const gateRuns: Rows = [];
  const packs: Rows = [];
  const evidence: Rows = [];
  const sessions: Rows = [
    { id: 'bench-1', actor: 'bench', host: 'host', pid: 1, started_at: recent, heartbeat_at: recent },
  ];
  const event = (task_id: string, kind: string, at: string, body: unknown) =>
    events.push({ task_id, kind, actor: 'bench', at, body: JSON.stringify(body) });
  let run = 0;
  const addRun = (taskId: string | null, pack: string, i: number) => {
    run++;
    gateRuns.push({
      id: run,
      task_id: taskId,
      environment: 'local',
      stage: 'dev',
      verdict: 'PASS',
      git_commit: 'abc123',
      git_dirty: 0,
      command: 'npx playwright test',
      projects: '["local-api"]',
      started_at: at(i),
      duration_ms: 60_000,
      recorded_at: at(i),
      recorded_by: 'bench',
      verdict_digest: hex(run, 'v'),
      problems: '[]',
      subject_digest: hex(run, 's'),
    });
    packs.push({ run_id: run, pack, status: 'PASS', policy: 'blocking', blocks: 0, reason: 'all tests passed' });
    for (let e = 0; e < EVIDENCE_PER_RUN; e++)
      evidence.push({
        run_id: run,
        path: `evidence/${pack}/file-${e}.json`,
        pack,
        digest: hex(run * 100 + e, 'e'),
        size: 1024 + e,
      });
  };
  for (let i = 0; i < TASKS; i++) {
    const id = `Q-${i}`;
    const state = STATES[i % STATES.length];
    const kind = i % 10 === 0 ? 'bugfix' : i % 20 === 5 ? 'watch' : 'feature';
    const pack = PACKS[i % PACKS.length];
    const created = at(i);
    tasks.push({
      id,
      title: `bench task ${id}`,
      state,
      kind,
      owner_lane: 'C-ops',
      track_id: `track-${i % 50}`,
      packet: JSON.stringify(packet(id, kind, pack)),
      packet_digest: hex(i, 'p'),
      created_at: created,
      created_by: 'bench',
      updated_at: created,
      workflow_pack: pack,
    });
    transitions.push({
      task_id: id,
      from_state: null,
      to_state: state,
      actor: 'bench',
      reason: 'imported',
      at: created,
    });
    const finished = state === 'done' || state === 'in_review';
    if (finished && i % 10 !== 1) event(id, 'handoff', created, { files: ['a.ts'], risks: [] });
    if (kind === 'bugfix' && finished) {
      if (i % 3) event(id, 'fix-record', created, { record: { id } });
      if (i % 4) event(id, 'regression-proof', created, { fixRecordEvent: 1 });
      else event(id, 'review', created, { decision: i % 8 ? 'accepted' : 'changes-requested' });
    }
    if (kind === 'watch') {
      event(id, 'watch', created, { phase: 'started', run: `r-${i}`, packet: `W-${i}`, session: 'gone' });
      if (i % 3)
        event(id, 'watch', created, { phase: 'closed', run: `r-${i}`, closeout: i, status: 'success', class: null });
    }
    event(id, 'note', created, { note: 'a note the rules never read' });
    if (state === 'in_progress' && i % 2)
      checkpoints.push({
        task_id: id,
        original_goal: `goal of ${id}`,
        goal_changed: 0,
        current_track: 'track',
        what_changed: 'x',
        drift_discovered: 'none',
        blocked_on: 'nothing',
        next_actions: '["next"]',
        decision: 'continue',
        outcome: '{"movedTo":null,"splitInto":[],"escalatedTo":null}',
        created_at: recent,
        created_by: 'bench',
      });
    if (state === 'escalated')
      escalations.push({
        task_id: id,
        source: 'watch',
        escalated_to: 'C-ops',
        details: null,
        reason: 'auth failed twice',
        crossed: '[]',
        paths: '[]',
        base_commit: null,
        head_commit: null,
        stop_conditions: '[]',
        moved: 1,
        created_at: created,
        created_by: 'bench',
      });
    // Most finished tasks have a gate run covering their pack; every 7th has one on another pack.
    if (finished) addRun(id, i % 7 === 3 ? PACKS[(i + 1) % PACKS.length] : pack, i);
  }
  for (let r = 0; r < RELEASE_RUNS; r++) addRun(null, PACKS[r % PACKS.length], r);
  return {
    tasks,
    transitions,
    task_events: events,
    checkpoints,
    escalations,
    sessions,
    gate_runs: gateRuns,
    gate_run_packs: packs,
    evidence,
  };
}

function packet(id: string, kind: string, pack: string): Record<string, unknown> {
  return {
    schema_version: 1,
    task_id: id,
    kind,
    track_id: id,
    owner_lane: 'C-ops',
    goal: `the goal of ${id}, a sentence long enough to look like one a person writes`,
    non_goals: ['no unrelated refactors', 'no changes to other lanes'],
    current_state: 'not started at abc123',
    architecture_context: ['the pack journey', 'its layers', 'the environment'],
    environment: 'local',
    owned_files: [`packs/${pack}/**`],
    must_not_touch: ['src/**', 'stack/**'],
    commands_to_run: [`npx playwright test --project=local-${pack}`],
    acceptance: ['the pack passes', 'the evidence is recorded'],
    workflow_regression_pack: pack,
    known_risks: ['a flaky sign-in'],
    stop_conditions: ['a change under must_not_touch'],
    deviation_rules: ['rule 1', 'rule 2', 'rule 3', 'rule 4'],
    handoff_required: ['files', 'commands', 'results'],
  };
}

function hex(n: number, salt: string): string {
  return (salt + n.toString(16))
    .padStart(64, '0')
    .slice(-64)
    .replace(/[^0-9a-f]/g, '0');
}

function render(results: Figures[]): string {
  const date = new Date().toISOString().slice(0, 10);
  const rows = [
    ['queue health, library call, median / p95', ...results.map(r => `${r.library.median} / ${r.library.p95} ms`)],
    ['packgate queue health --json (a process), median', ...results.map(r => `${r.cli} ms`)],
    ['CLI start-up floor (queue health --help), median', ...results.map(r => `${r.floor} ms`)],
    ['the CLI beyond its start-up floor', ...results.map(r => `${r.cli - r.floor} ms`)],
    ['tasks with debt: new, legacy', ...results.map(r => `${r.debt.new}, ${r.debt.legacy}`)],
    [
      'rows: tasks, events, gate runs, evidence',
      ...results.map(r => `${r.rows.tasks}, ${r.rows.events}, ${r.rows.gateRuns}, ${r.rows.evidence}`),
    ],
  ];
  const header = ['figure', ...results.map(r => r.adapter)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    `### ${date}: queue health, 10,000 tasks, 100,000 evidence records`,
    '',
    line(header),
    `| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
    '',
    `Machine: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `load average ${os.loadavg()[0].toFixed(1)} at the end; Node ${process.version}.`,
    '',
  ].join('\n');
}

await main();
