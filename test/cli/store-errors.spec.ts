import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { expect } from '@playwright/test';
import { parse, stringify } from 'yaml';
import { shellQuote } from '../../src/text/shell-quote.ts';
import { postgresAvailability, REQUIRE_POSTGRES_VAR, startPostgres } from '../helpers/postgres.ts';
import { TaskProject } from '../helpers/task-project.ts';
import { test } from '../store/fixtures.ts';

/** Node's stack frames, which a user was shown in place of what failed. */
const STACK_FRAME = /^\s+at /m;

async function readyTask(project: TaskProject, id: string, env: Record<string, string> = {}): Promise<void> {
  const made = await project.packgate(
    ['packet', 'new', '--task-id', id, '--owner-lane', 'C-ops', '--goal', 'a goal', '--pack', 'auth-session'],
    env,
  );
  expect(made.exitCode, made.output).toBe(0);
}

// Before: Node's stack trace of better-sqlite3's SqliteError, exit 1, and nothing on stdout with --json.
test('a write the SQLite store refuses: which store, what it said, what to do; exit 2, STORE_FAILED in --json, no stack trace', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await readyTask(project, 'T-1');
  project.sql(`CREATE TRIGGER refuse BEFORE INSERT ON transitions WHEN NEW.to_state = 'parked'
               BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
  const store = path.join(project.dir, '.packgate/queue.db');

  const moved = await project.packgate(['task', 'move', 'T-1', 'parked', '--reason', 'later']);
  expect(moved.stderr).toBe(
    `packgate: cannot write to the queue store ${store}: disk I/O error (SQLITE_CONSTRAINT_TRIGGER)\n` +
      '  hint: the database refused what packgate asked (SQLITE_CONSTRAINT_TRIGGER): unless something else changes ' +
      'this store (a trigger, a hand edit), this is a bug in packgate; PACKGATE_DEBUG=stack shows where it was asked\n',
  );
  expect(moved.exitCode).toBe(2);

  const json = await project.json<{ ok: boolean; error: { code: string; message: string } }>([
    'task',
    'move',
    'T-1',
    'parked',
    '--reason',
    'later',
  ]);
  expect(json.body).toMatchObject({ ok: false, error: { code: 'STORE_FAILED' } });
  expect(json.result.exitCode).toBe(2);

  // The stack, of the store's error and of SQLite's under it, when asked for.
  const debug = await project.packgate(['task', 'move', 'T-1', 'parked', '--reason', 'later'], {
    PACKGATE_DEBUG: 'stack',
  });
  expect(debug.stderr).toContain(`\ncaused by: SqliteError: disk I/O error\n    at `);
  expect(debug.exitCode).toBe(2);
  expect((await project.json<{ task: { state: string } }>(['task', 'show', 'T-1'])).body.task.state).toBe('ready');
});

// Before: 'hint: check the file is a packgate queue store and its folder is writable', for a store another process holds.
// Waited for as long as store.wait_s says (30 s unless it does), as a store locked after it opened is.
test('a SQLite store another process holds locked names it and how to find the process', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  waitBriefly(project);
  await readyTask(project, 'T-1');
  const store = path.join(project.dir, '.packgate/queue.db');
  // Exclusive locking mode: the lock is kept after the transaction, until the connection closes.
  const holder = await holdLocked(
    project.dir,
    store,
    "db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE; COMMIT');",
    'db.close()',
  );
  try {
    const listed = await project.packgate(['task', 'list']);
    expect(listed.stderr).toBe(
      `packgate: cannot open the queue store ${store}: database is locked (SQLITE_BUSY)\n` +
        `  hint: another process holds it locked (waited 2 s: store.wait_s in packgate.yaml): ` +
        `find it with \`fuser ${store}\`, and run the command again once it is done\n`,
    );
    expect(listed.exitCode).toBe(2);
  } finally {
    holder.stdin!.end();
    await new Promise(resolve => holder.once('exit', resolve));
  }
  expect((await project.packgate(['task', 'list'])).exitCode).toBe(0);
});

/**
 * A store locked after it opened (a transaction another process keeps open) is waited for, 30 s, then
 * said as a store found locked when opening is. Before: another wording, "the queue store ... stayed
 * locked by other processes for 30 s", with another hint. Reading it meanwhile is not held up.
 */
test('a SQLite store that stays locked while waited for is worded as one locked when opened; a read goes on', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  waitBriefly(project);
  await readyTask(project, 'T-1');
  const store = path.join(project.dir, '.packgate/queue.db');
  const holder = await holdLocked(
    project.dir,
    store,
    "db.exec('BEGIN IMMEDIATE');",
    "db.exec('ROLLBACK'); db.close();",
  );
  try {
    const moved = await project.packgate(['task', 'move', 'T-1', 'parked', '--reason', 'later']);
    expect(moved.stderr).toBe(
      `packgate: cannot write to the queue store ${store}: database is locked (SQLITE_BUSY)\n` +
        `  hint: another process holds it locked (waited 2 s: store.wait_s in packgate.yaml): ` +
        `find it with \`fuser ${store}\`, and run the command again once it is done\n`,
    );
    expect(moved.exitCode).toBe(2);

    // A command that only reads goes on meanwhile (WAL): opening the store takes no write lock when it
    // has nothing to migrate. Before: every command opened with one, waited 30 s and was refused too.
    const listed = await project.packgate(['task', 'list']);
    expect(listed.exitCode, listed.output).toBe(0);
    expect(listed.stdout).toContain('T-1');
  } finally {
    holder.stdin!.end();
    await new Promise(resolve => holder.once('exit', resolve));
  }
});

// Before: "unexpected system error: ENOTDIR: not a directory, mkdir '...'", INTERNAL, exit 1.
test('evidence the SQLite store cannot keep in its folder: which folder, what failed, what to do; exit 2, nothing recorded', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const made = await project.packgate(
    ['packet', 'new', '--task-id', 'T-1', '--owner-lane', 'C-ops', '--goal', 'a goal'],
    {
      ACCEPTANCE: 'a plan recorded',
      WORKFLOW_REGRESSION_PACK: 'auth-session',
    },
  );
  expect(made.exitCode, made.output).toBe(0);
  const folder = path.join(project.dir, '.packgate/evidence');
  // A file where the evidence folder goes: what any user can cause, where a permission refusal needs a non-root user.
  project.write({ '.packgate/evidence': 'not a folder\n', 'plan.md': 'the plan\n' });
  const before = project.storeSnapshot();

  const proved = await project.packgate(['task', 'prove', 'T-1', '--item', '1', '--file', 'plan.md']);
  expect(proved.stderr).toBe(
    `packgate: cannot store evidence in ${folder}: mkdir ${folder}/sha256/2d: not a directory (ENOTDIR)\n` +
      `  hint: ${folder} must be a folder of evidence files (sha256/<ab>/<digest>), and something in the way is a file: ` +
      `move it aside (ls -l ${folder}), then run the command again\n`,
  );
  expect(proved.exitCode).toBe(2);
  const json = await project.json<{ error: { code: string } }>([
    'task',
    'prove',
    'T-1',
    '--item',
    '1',
    '--file',
    'plan.md',
  ]);
  expect(json.body).toMatchObject({ ok: false, error: { code: 'STORE_FAILED' } });
  expect(project.storeSnapshot()).toEqual(before);
});

// Before: "unexpected system error: ENOTDIR: not a directory, stat '...'", INTERNAL, exit 1.
test('a store.path whose folder cannot be made (a file in the way): which path, what failed, what to do; exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    'packgate.yaml': project
      .read('packgate.yaml')
      .replace('store: { path: .packgate/queue.db }', 'store: { path: shared/queue.db }'),
    shared: 'a file, not the folder the store goes in\n',
  });
  const folder = path.join(project.dir, 'shared');

  const listed = await project.packgate(['task', 'list']);
  expect(listed.stderr).toBe(
    `packgate: cannot open the queue store ${folder}/queue.db: mkdir ${folder}: file already exists (EEXIST)\n` +
      `  hint: something in the way of the folder ${folder} is a file: move it aside, or point store.path in packgate.yaml elsewhere\n`,
  );
  expect(listed.exitCode).toBe(2);
  const json = await project.json<{ error: { code: string } }>(['task', 'list']);
  expect(json.body).toMatchObject({ ok: false, error: { code: 'STORE_FAILED' } });
  expect(project.read('shared')).toBe('a file, not the folder the store goes in\n');
});

test.describe('postgres', () => {
  test.use({ adapter: 'postgres' });

  // Before: Node's stack trace of pg's DatabaseError, exit 1.
  test('a PostgreSQL store that takes no writes is named (password masked), with what to do; exit 2; it is read as ever', async ({
    storeLocation,
  }, testInfo) => {
    if (storeLocation.kind !== 'postgres') throw new Error('expected a PostgreSQL store');
    const project = await TaskProject.create(testInfo, { git: false });
    // The server trusts the user, whatever the password: one given is masked wherever the URL is shown.
    const env = {
      PACKGATE_STORE_URL: storeLocation.url.replace('postgresql://packgate@', 'postgresql://packgate:s3cret-pw@'),
    };
    await readyTask(project, 'T-1', env);
    const admin = new pg.Client({ connectionString: storeLocation.url });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${admin.database}" SET default_transaction_read_only = on`);
    } finally {
      await admin.end();
    }

    const moved = await project.packgate(['task', 'move', 'T-1', 'parked', '--reason', 'later'], env);
    expect(moved.stderr).toMatch(
      /^packgate: cannot write to the queue store postgresql:\/\/packgate:\*\*\*@\/\S+: cannot execute \w+( \w+)* in a read-only transaction \(SQLSTATE 25006\)\n/,
    );
    expect(moved.stderr).toContain(
      '  hint: the database takes no writes (a standby, or default_transaction_read_only is on): ' +
        'point the store URL at the primary, or turn read-only off for it\n',
    );
    expect(moved.stderr).not.toMatch(STACK_FRAME);
    expect(moved.stderr).not.toContain('s3cret-pw');
    expect(moved.exitCode).toBe(2);

    // Reading it works: a store at this packgate's schema is opened without a write.
    const listed = await project.packgate(['task', 'list'], env);
    expect(listed.exitCode, listed.output).toBe(0);
    expect(listed.stdout).toContain('T-1');
  });
});

// Before: Node's stack trace of pg's connection error, exit 1.
test('a PostgreSQL server gone during a dispatch: the store named, what to do, the session holding the task; exit 2', async ({}, testInfo) => {
  const availability = postgresAvailability();
  if (!availability.ok && !process.env[REQUIRE_POSTGRES_VAR]) test.skip(true, availability.reason);
  // A server of its own: the provider kills it.
  const cluster = await startPostgres();
  try {
    const url = await cluster.createDatabase();
    const project = await TaskProject.create(testInfo, { git: false });
    Object.assign(project.temp.env, { PACKGATE_STORE_URL: url });
    const governance = parse(project.read('governance.yaml'));
    governance.watch.providers = {
      kills: {
        command: `kill -9 $(head -1 ${shellQuote(`${cluster.dir}/data/postmaster.pid`)})`,
        expected_duration: '1m',
      },
    };
    project.write({ 'governance.yaml': stringify(governance) });
    project.git(['init', '-q', '-b', 'main']);
    project.commitAll('the project, with a provider');
    await readyTask(project, 'T-1');

    const dispatched = await project.packgate(['task', 'dispatch', 'T-1', '--provider', 'kills']);
    // Whichever call met it first, the connection refused (ECONNREFUSED) or cut (57P01, or pg's own words).
    expect(dispatched.stderr).toMatch(
      new RegExp(
        '^packgate: cannot (read|write to) the queue store postgresql://packgate@/\\S+: .+\\n' +
          '  hint: the connection to the PostgreSQL server failed or was cut: check that it is up and reachable ' +
          '\\(pg_isready\\), then run the command again; task T-1 could not be given back: session (?<session>\\S+) still holds it; ' +
          'once the store answers, packgate task release T-1 --session \\k<session> --reason "<why>"\\n$',
      ),
    );
    expect(dispatched.stderr).not.toMatch(STACK_FRAME);
    expect(dispatched.exitCode).toBe(2);
  } finally {
    // pg_ctl finds no server to stop; the folder goes all the same.
    await cluster.stop().catch(() => {});
  }
});

/** Another process holding the store locked (`lock`, on its connection `db`) until its stdin ends (`release`). */
async function holdLocked(cwd: string, store: string, lock: string, release: string): Promise<ChildProcess> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(${JSON.stringify(store)}); ${lock} console.log('locked');
       process.stdin.on('end', () => { ${release} }).resume();`,
    ],
    { cwd, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>(resolve => holder.stdout!.once('data', () => resolve()));
  return holder;
}

/** store.wait_s: 2 s, where a test waits out a lock another process keeps (30 s by default). */
function waitBriefly(project: TaskProject): void {
  const manifest = project.read('packgate.yaml');
  const withWait = manifest.replace(
    'store: { path: .packgate/queue.db }',
    'store: { path: .packgate/queue.db, wait_s: 2 }',
  );
  if (withWait === manifest) throw new Error('packgate.yaml has no store line to add wait_s to');
  project.write({ 'packgate.yaml': withWait });
}
