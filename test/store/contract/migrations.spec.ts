import fs from 'node:fs';
import pg from 'pg';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/store/migrations.ts';
import type { StoreLocation } from '../../../src/store/open.ts';
import { openStoreReadOnly } from '../../../src/store/open-read-only.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { gateRun } from './helpers.ts';

forEachAdapter(adapter => {
  test('a new store is created at the latest schema version', async ({ openTestStore }) => {
    const store = await openTestStore();
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  test('a store written by an older version is upgraded on open, its records kept', async ({
    openTestStore,
    storeLocation,
  }) => {
    const old = await openTestStore({ migrations: MIGRATIONS.slice(0, 1) });
    expect(old.schemaVersion).toBe(1);
    await old.close();
    // Written as version 1 wrote it: today's code writes columns version 1 did not have.
    await runSql(
      storeLocation,
      `INSERT INTO tasks (id, title, state, owner_lane, track_id, packet, packet_digest, created_at, created_by, updated_at)
       VALUES ('T-1', 'goal of T-1', 'ready', 'lane-a', 'track-1', '{"task_id":"T-1"}', 'digest-of-T-1', 'x', 'old', 'x')`,
    );

    const store = await openTestStore();
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.requireTask('T-1')).toMatchObject({ state: 'ready', kind: 'feature' });
    await store.recordGateRun(gateRun({ taskId: 'T-1' }));
    expect(await store.stats()).toMatchObject({ tasks: 1, gateRuns: 1 });
  });

  test('reopening a current store changes nothing', async ({ openTestStore, storeLocation }) => {
    await (await openTestStore()).close();
    await (await openTestStore()).close();
    expect(await appliedVersions(storeLocation)).toEqual(MIGRATIONS.map(m => m.version));
  });

  test('a store written by a newer version is refused with a clear message', async ({
    openTestStore,
    storeLocation,
  }) => {
    await (await openTestStore()).close();
    await runSql(
      storeLocation,
      `INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'from the future', 'x')`,
    );
    const opening = openTestStore();
    await expect(opening).rejects.toMatchObject({ code: 'STORE_TOO_NEW' });
    await expect(opening).rejects.toThrow(
      `was written by a newer packgate (schema version 99; this packgate knows up to ${LATEST_SCHEMA_VERSION})\n  hint: upgrade packgate to read it`,
    );
  });

  // Before: refused only once its write lock was had: on a read-only PostgreSQL database "cannot write to
  // the queue store ...: cannot execute CREATE TABLE in a read-only transaction" (STORE_FAILED); on a SQLite
  // file another process writes, "database is locked" after waiting 30 s (STORE_UNAVAILABLE).
  test('a store written by a newer version is refused as such when it cannot be written (read-only, locked)', async ({
    openTestStore,
    storeLocation,
  }) => {
    test.setTimeout(90_000);
    await (await openTestStore()).close();
    await runSql(
      storeLocation,
      `INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'from the future', 'x')`,
    );
    const release = await unwritable(storeLocation);
    try {
      const opening = openTestStore();
      await expect(opening).rejects.toMatchObject({ code: 'STORE_TOO_NEW' });
      await expect(opening).rejects.toThrow('was written by a newer packgate (schema version 99;');
    } finally {
      await release();
    }
  });

  // Before: either read as "... is not a packgate queue store (no schema_migrations)", STORE_UNAVAILABLE,
  // whatever the database had said.
  test('the read-only store says what kept it from reading a store: damaged (SQLite), no right to (PostgreSQL)', async ({
    openTestStore,
    storeLocation,
  }) => {
    await (await openTestStore()).close();
    let location = storeLocation;
    if (location.kind === 'sqlite') {
      // Every page past the first (the header, the start of the schema) overwritten.
      const file = fs.openSync(location.path, 'r+');
      const size = fs.fstatSync(file).size;
      fs.writeSync(file, Buffer.alloc(size - 4096, 0xa5), 0, size - 4096, 4096);
      fs.closeSync(file);
    } else {
      const [{ name }] = (await runSql(location, 'SELECT current_database() AS name')) as Array<{ name: string }>;
      await runSql(location, `CREATE ROLE "reader_${name}" LOGIN`);
      const url = location.url.replace('packgate@', `reader_${name}@`);
      location = { ...location, url, display: url };
    }
    const opening = openStoreReadOnly(location);
    await expect(opening).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await expect(opening).rejects.toThrow(
      adapter === 'sqlite'
        ? /\(SQLITE_CORRUPT\)\n {2}hint: .* is damaged or not a packgate queue store/
        : /permission denied for table schema_migrations \(SQLSTATE 42501\)\n {2}hint: the store URL's user may not do this/,
    );
  });

  test('the read-only store (the dashboard) refuses an older store, saying how to bring it up to date', async ({
    openTestStore,
    storeLocation,
  }) => {
    await (await openTestStore({ migrations: MIGRATIONS.slice(0, 1) })).close();
    const opening = openStoreReadOnly(storeLocation);
    await expect(opening).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(opening).rejects.toThrow(
      `is at schema version 1; this packgate reads version ${LATEST_SCHEMA_VERSION}`,
    );
    await expect(opening).rejects.toThrow(/hint: the dashboard never writes: .*running any queue command/);
    // Nothing was migrated by the refusal: the queue command that opens it next does that.
    expect(await appliedVersions(storeLocation)).toEqual([1]);
  });
});

/**
 * Makes the store take no writes until the returned function is called: a SQLite file another
 * connection holds the write lock of, a PostgreSQL database whose new sessions are read-only.
 */
async function unwritable(location: StoreLocation): Promise<() => Promise<void>> {
  if (location.kind === 'sqlite') {
    const holder = new Database(location.path);
    holder.exec('BEGIN IMMEDIATE');
    return async () => {
      holder.exec('ROLLBACK');
      holder.close();
    };
  }
  const [{ name }] = (await runSql(location, 'SELECT current_database() AS name')) as Array<{ name: string }>;
  await runSql(location, `ALTER DATABASE "${name}" SET default_transaction_read_only = on`);
  return async () => {
    // A session of its own says it writes: every new one of the database's is read-only now.
    const client = new pg.Client({ connectionString: location.url, options: '-c default_transaction_read_only=off' });
    await client.connect();
    try {
      await client.query(`ALTER DATABASE "${name}" RESET default_transaction_read_only`);
    } finally {
      await client.end();
    }
  };
}

async function appliedVersions(location: StoreLocation): Promise<number[]> {
  const rows = await runSql(location, 'SELECT version FROM schema_migrations ORDER BY version');
  return rows.map(r => Number(r.version));
}

async function runSql(location: StoreLocation, sql: string): Promise<Array<Record<string, unknown>>> {
  if (location.kind === 'sqlite') {
    const db = new Database(location.path);
    try {
      const statement = db.prepare(sql);
      return statement.reader ? (statement.all() as Array<Record<string, unknown>>) : (statement.run(), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}
