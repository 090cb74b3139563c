/**
 * `node --import tsx bench/watch-run.ts [--record]`: what `packgate watch run` adds to a watched
 * command's wall time. A short command (`sleep 0.2; echo done`) is run, alternating each round:
 *   1. bare: spawned through the shell, waited for;
 *   2. supervised: `supervise()` alone (process group, deadline, tee to the terminal and a log);
 *   3. watched: `runWatch()` whole on a SQLite store (session, started event, supervision,
 *      redaction, the log stored by digest, classification, closeout in one transaction);
 *   4. the CLI: `node bin/packgate.js watch run` as a process, node and tsx start-up included.
 * Medians of ROUNDS rounds; the figures are the differences from bare.
 */
import { spawn } from 'node:child_process';
import { createRedactor } from '../src/evidence/redact.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { watchConfigSchema } from '../src/governance/governance-schema.ts';
import { openStore } from '../src/store/open.ts';
import { runWatch } from '../src/watch/run-watch.ts';
import { supervise } from '../src/watch/supervise.ts';
import { watchPacketSchema } from '../src/watch/watch-packet-schema.ts';
import { log, machine, median, out, recordResults, root } from './lib.ts';

const ROUNDS = Number(process.env.BENCH_WATCH_ROUNDS ?? 15);
const COMMAND = 'sleep 0.2; echo done';
const dir = path.join(out, 'watch');
const sink = fs.createWriteStream('/dev/null');

async function main(): Promise<void> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A project of its own (no catalogue, no governance: the defaults), so the CLI finds this store.
  fs.writeFileSync(path.join(dir, 'packgate.yaml'), 'name: bench-watch\n');
  const store = await openStore({ kind: 'sqlite', path: path.join(dir, '.packgate/queue.db') });
  await store.createTask({ id: 'W-BENCH', title: 'bench', kind: 'watch' }, 'bench');
  const packet = watchPacketSchema.parse({
    schema_version: 1,
    id: 'W-BENCH-001',
    task_id: 'W-BENCH',
    lane: 'Q-gate',
    watch: { command: COMMAND },
    expected_duration: '30s',
  });
  const packetFile = path.join(dir, 'watcher.yaml');
  fs.writeFileSync(packetFile, stringify(packet));
  const session = { id: 'bench-1', actor: 'bench', host: os.hostname(), pid: process.pid };
  const config = watchConfigSchema.parse({});
  const times = { bare: [] as number[], supervised: [] as number[], watched: [] as number[], cli: [] as number[] };

  for (let round = 0; round < ROUNDS; round++) {
    times.bare.push(await timed(() => bare(COMMAND)));
    times.supervised.push(
      await timed(() =>
        supervise({
          command: COMMAND,
          cwd: dir,
          env: process.env,
          deadlineMs: 30_000,
          logFile: path.join(dir, 'supervised.log'),
          redact: createRedactor([]),
          stdout: sink,
          stderr: sink,
        }),
      ),
    );
    times.watched.push(
      await timed(() =>
        runWatch({
          root: dir,
          store,
          packet,
          config,
          session,
          actor: 'bench',
          outputDir: 'gate-results',
          env: process.env,
          stdout: sink,
          stderr: sink,
        }),
      ),
    );
    times.cli.push(await timed(() => cli(packetFile)));
  }
  await store.close();

  const bareMs = median(times.bare);
  const row = (name: string, values: number[]) =>
    `| ${name} | ${median(values)} ms | ${median(values) - bareMs >= 0 ? '+' : ''}${median(values) - bareMs} ms |`;
  const report = [
    `## watch run overhead, ${new Date().toISOString().slice(0, 10)}`,
    '',
    machine(),
    '',
    `\`${COMMAND}\`, median of ${ROUNDS} alternating rounds (\`bench/watch-run.ts\`):`,
    '',
    '| run | wall time | added to bare |',
    '| --- | --- | --- |',
    `| bare (\`sh -c\`, spawned and waited for) | ${bareMs} ms | |`,
    row('supervised (`supervise()`: process group, deadline, tee to terminal and log)', times.supervised),
    row(
      'watched (`runWatch()`: session, events, supervision, redacted log by digest, closeout; SQLite)',
      times.watched,
    ),
    row('`packgate watch run` as a process (node + tsx start-up, store open)', times.cli),
    '',
    'The goal (under 50 ms) is for what the watcher adds around the command: the supervised and watched rows.',
    'The CLI row is mostly the start-up every packgate command pays, once per watched run, not per line of output.',
    '',
  ].join('\n');
  process.stdout.write(report);
  if (process.argv.includes('--record')) recordResults(report);
}

async function timed(body: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await body();
  return Math.round(performance.now() - started);
}

function bare(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

function cli(packetFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/packgate.js'), 'watch', 'run', packetFile], {
      cwd: dir,
      env: { ...process.env, PACKGATE_STORE_URL: '' },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('exit', code => (code === 0 ? resolve() : reject(new Error(`watch run exited ${code}`))));
  });
}

main().catch(error => {
  log(String(error));
  process.exit(1);
});
