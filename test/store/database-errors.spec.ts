import { PackgateError } from '../../src/diagnostics/errors.ts';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStoreReadOnly } from '../../src/store/open-read-only.ts';
import { openPostgresDatabase } from '../../src/store/postgres-database.ts';
import { describeLocation } from '../../src/store/open.ts';
import { expect, forEachAdapter, test } from './fixtures.ts';

// Before: the driver's own error (better-sqlite3's SqliteError, pg's DatabaseError) left the store as
// it was thrown, and the CLI printed Node's stack trace of it.
forEachAdapter(adapter => {
  test("a write the database refuses is the store's error: which store, the database's words, what to do; the driver's error its cause", async ({
    openTestStore,
    storeLocation,
  }) => {
    await (await openTestStore()).createTask({ id: 'T-1', title: 'one' }, 'tester');
    // A read-only store (the dashboard's): SQLite opens the file read-only, PostgreSQL's sessions are.
    const store = await openStoreReadOnly(storeLocation);
    try {
      const refused = await store.createTask({ id: 'T-2', title: 'two' }, 'tester').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PackgateError);
      const error = refused as PackgateError;
      expect(error.code).toBe('STORE_FAILED');
      expect(error.exitCode).toBe(2);
      const shown = describeLocation(storeLocation);
      expect(error.message.split('\n')[0]).toBe(
        adapter === 'sqlite'
          ? `cannot write to the queue store ${shown}: attempt to write a readonly database (SQLITE_READONLY)`
          : `cannot write to the queue store ${shown}: cannot execute INSERT in a read-only transaction (SQLSTATE 25006)`,
      );
      expect(error.hint).toMatch(
        adapter === 'sqlite' ? /make them writable for this user/ : /point the store URL at the primary/,
      );
      expect((error.cause as Error).constructor.name).toBe(adapter === 'sqlite' ? 'SqliteError' : 'DatabaseError');

      // What packgate throws itself inside a transaction is passed on as it was.
      await expect(store.requireTask('T-NOPE')).rejects.toMatchObject({ code: 'TASK_UNKNOWN' });
      expect(await store.getTask('T-1')).toMatchObject({ title: 'one' });
    } finally {
      await store.close();
    }
  });
});

test.describe('sqlite', () => {
  // Before: "cannot open the queue store ...: database is locked (SQLITE_BUSY)" at once, for a store another
  // process held a moment (its last connection closing folds the WAL into the file): a `task` command run
  // as a gate run's sink closed the store failed now and then.
  test('a store another process holds a moment when it is opened is waited for, as any call is', async ({
    openTestStore,
    storeLocation,
  }) => {
    if (storeLocation.kind !== 'sqlite') throw new Error('a SQLite store');
    await (await openTestStore()).close();
    // Exclusive locking mode: the lock is kept after the transaction, until the connection closes.
    const holder = new Database(storeLocation.path);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE; COMMIT');
    const opening = openTestStore();
    setTimeout(() => holder.close(), 200);
    const store = await opening;
    expect(await store.stats()).toMatchObject({ tasks: 0 });
  });
});

test.describe('postgres', () => {
  test.use({ adapter: 'postgres' });

  // Before: a call waited without end behind another session's lock (a hung agent's open transaction):
  // store.wait_s bounded SQLite's waits only.
  test("a lock another session keeps is waited for as long as store.wait_s says, then is the store's error saying so", async ({
    storeLocation,
    openTestStore,
  }) => {
    test.setTimeout(30_000);
    if (storeLocation.kind !== 'postgres') throw new Error('expected a PostgreSQL store');
    const store = await openTestStore({ waitMs: 1000 });
    await store.createTask({ id: 'T-1', title: 'one' }, 'tester');
    const admin = new pg.Client({ connectionString: storeLocation.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE');
      const error = (await store.getTask('T-1').catch((e: unknown) => e)) as PackgateError;
      expect(error).toBeInstanceOf(PackgateError);
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.message).toContain(`cannot read the queue store ${storeLocation.display}: `);
      expect(error.hint).toBe(
        'another session holds what it needs locked (waited 1 s: store.wait_s in packgate.yaml): find it in ' +
          "pg_locks and pg_stat_activity (an agent's open transaction), and run the command again once it is done",
      );
      await admin.query('ROLLBACK');
      expect(await store.getTask('T-1')).toMatchObject({ title: 'one' });
    } finally {
      await admin.end();
    }
  });

  // Before: the connection's 'error' event, which nobody heard, ended the process with Node's stack trace.
  test("a connection cut inside a transaction fails it as the store's error, and the store goes on", async ({
    storeLocation,
  }) => {
    if (storeLocation.kind !== 'postgres') throw new Error('expected a PostgreSQL store');
    const db = await openPostgresDatabase(storeLocation.url, storeLocation.display);
    const admin = new pg.Client({ connectionString: storeLocation.url });
    await admin.connect();
    try {
      const cut = db.transaction(async tx => {
        const row = await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [row!.pid]);
        // The server's notice of the cut reaches the client before its next query.
        await new Promise(resolve => setTimeout(resolve, 300));
        await tx.get('SELECT 1 AS one');
      });
      const error = (await cut.catch((e: unknown) => e)) as PackgateError;
      expect(error).toBeInstanceOf(PackgateError);
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.message.startsWith(`cannot write to the queue store ${storeLocation.display}: `)).toBe(true);
      expect(error.hint).toContain('the connection to the PostgreSQL server failed or was cut');
      expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await admin.end();
      await db.close();
    }
  });
});
