/**
 * packgate's own cost over bare Playwright, on the auth-session browser journey (part of `npm run bench`).
 *
 * One stack serves every run. Each round runs the journey BENCH_REPEAT times through packgate's
 * `local-browser` project (run plan, fixtures, gate reporter, evidence; in a copy of the project
 * whose browser spec repeats the pack's journey) and through bench/bare (plain fixtures, list
 * reporter, a setup project signing in once, as Playwright's docs write it), alternating which goes
 * first so drift on a shared machine falls on both. Prints the median wall time of each, their ratio
 * (goal <= 1.05), and the most interactive IdP sign-ins of one identity in a run, as counted by the
 * IdP itself (goal: one). `--record` also writes the figures into bench/RESULTS.md.
 *
 * BENCH_ROUNDS (default 7), BENCH_REPEAT (journeys per run, default 20), BENCH_WORKERS (default 2).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { copyProject } from '../test/helpers/temp-project.ts';
import { exec, log, machine, median, out, recordResults, root } from './lib.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const repeat = Number(process.env.BENCH_REPEAT ?? 20);
const workers = Number(process.env.BENCH_WORKERS ?? 2);
const record = process.argv.includes('--record');
/** A copy of the project whose auth-session browser spec runs its journey BENCH_REPEAT times. */
const project = path.join(out, 'project');

const ports = { app: 4510, idp: 4511, api: 4512 };
const password = `bench-${process.pid}`;
const stackEnv = {
  PACKGATE_LOCAL_APP_URL: `http://127.0.0.1:${ports.app}`,
  PACKGATE_LOCAL_ISSUER_URL: `http://127.0.0.1:${ports.idp}/realms/gpuaas`,
  PACKGATE_LOCAL_API_URL: `http://127.0.0.1:${ports.api}`,
  PACKGATE_LOCAL_USER_PASSWORD: password,
  // Every persona the sign-in setup signs in as: the stack and the project copy must agree on each.
  PACKGATE_LOCAL_MEMBER_PASSWORD: `${password}-member`,
};

type Run = { ms: number; signIns: number };

const JOURNEY = 'a user signs in through the IdP and lands in the shell with their identity';

async function main(): Promise<void> {
  fs.mkdirSync(out, { recursive: true });
  copyProject(project);
  fs.writeFileSync(path.join(project, 'packs/auth-session/browser.spec.ts'), repeatedJourneySpec());
  // Its test manifest to match, so the gate judges the run as complete, as it would a real one.
  const manifest = path.join(project, 'packs/auth-session/tests.yaml');
  const tests = parse(fs.readFileSync(manifest, 'utf8')) as Record<string, string[]>;
  tests['browser.spec.ts'] = Array.from({ length: repeat }, (_, i) => `${JOURNEY} #${i + 1}`);
  fs.writeFileSync(manifest, stringify(tests));
  const stack = await startStack();
  const gate: Run[] = [];
  const bare: Run[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 ? [runGate, runBare] : [runBare, runGate];
      for (const run of order) (run === runGate ? gate : bare).push(await run());
      log(
        `round ${round}/${rounds}: packgate ${gate.at(-1)!.ms} ms (${gate.at(-1)!.signIns} sign-ins), ` +
          `bare ${bare.at(-1)!.ms} ms (${bare.at(-1)!.signIns} sign-ins)`,
      );
    }
  } finally {
    stack.kill('SIGTERM');
  }

  const gateMedian = median(gate.map(r => r.ms));
  const bareMedian = median(bare.map(r => r.ms));
  const report = [
    `### ${new Date().toISOString().slice(0, 10)}: overhead, ${rounds} rounds x ${repeat} journeys on ${workers} workers`,
    '',
    '| figure | value | goal |',
    '| --- | --- | --- |',
    `| packgate run, median wall | ${gateMedian} ms | |`,
    `| bare Playwright run, median wall | ${bareMedian} ms | |`,
    `| ratio packgate / bare (same run) | ${(gateMedian / bareMedian).toFixed(3)} | <= 1.05 |`,
    `| interactive IdP sign-ins of one identity in a run (counted by the IdP): packgate / bare | ${maxSignIns(gate)} / ${maxSignIns(bare)} | 1 |`,
    '',
    machine(),
    `Raw (ms): packgate ${gate.map(r => r.ms).join(', ')}; bare ${bare.map(r => r.ms).join(', ')}.`,
    '',
  ].join('\n');
  process.stdout.write(`\n${report}`);
  if (record) recordResults(report);
}

/**
 * The pack's browser journey (its own journey.ts assertions), declared BENCH_REPEAT times so one
 * run exercises worker reuse the way a suite of many signed-in tests does.
 */
function repeatedJourneySpec(): string {
  return `import { test } from '../../fixtures/index.ts';
import { expectSignedInShell } from './journey.ts';

for (let i = 1; i <= ${repeat}; i++) {
  test(\`${JOURNEY} #\${i}\`, async ({ page, pack, session, identity }) => {
    await expectSignedInShell(page, pack, session, identity);
  });
}
`;
}

function runGate(): Promise<Run> {
  return timed(
    project,
    // The auth-session journeys only: the project also holds the other packs' browser specs.
    [
      'node_modules/@playwright/test/cli.js',
      'test',
      '--project=local-browser',
      `--workers=${workers}`,
      'packs/auth-session/',
    ],
    {
      ...stackEnv,
      PACKGATE_STACK: 'never',
      PACKGATE_OUTPUT_DIR: path.join(out, 'gate-results'),
    },
  );
}

function runBare(): Promise<Run> {
  return timed(
    root,
    ['node_modules/@playwright/test/cli.js', 'test', '-c', 'bench/bare/playwright.config.ts', `--workers=${workers}`],
    {
      BENCH_APP_URL: stackEnv.PACKGATE_LOCAL_APP_URL,
      BENCH_PASSWORD: password,
      BENCH_REPEAT: String(repeat),
    },
  );
}

function maxSignIns(runs: Run[]): number {
  return Math.max(...runs.map(r => r.signIns));
}

async function timed(cwd: string, args: string[], env: Record<string, string>): Promise<Run> {
  const before = await signIns();
  const { code, ms } = await exec(cwd, args, env);
  if (code !== 0) throw new Error(`bench run failed (exit ${code}): node ${args.join(' ')}`);
  const after = await signIns();
  // The most sign-ins any one identity needed in this run.
  return { ms, signIns: Math.max(0, ...Object.entries(after).map(([user, n]) => n - (before[user] ?? 0))) };
}

async function startStack() {
  const child = spawn(process.execPath, ['bin/packgate.js', 'stack', 'start', '--env', 'local'], {
    cwd: root,
    env: { ...process.env, ...stackEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', chunk => String(chunk).includes(' ready: ') && resolve());
    child.on('exit', code => reject(new Error(`the stack exited with ${code}`)));
  });
  return child;
}

/** Interactive sign-ins so far, by user, as the stack's IdP counts them. */
async function signIns(): Promise<Record<string, number>> {
  const response = await fetch(`${stackEnv.PACKGATE_LOCAL_APP_URL}/__stack/stats`);
  return ((await response.json()) as { interactiveLogins: { byUser: Record<string, number> } }).interactiveLogins
    .byUser;
}

await main();
