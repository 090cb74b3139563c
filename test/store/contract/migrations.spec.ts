import pg from 'pg';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/store/migrations.ts';
import type { StoreLocation } from '../../../src/store/open.ts';
import { openStoreReadOnly } from '../../../src/store/open-read-only.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { gateRun } from './helpers.ts';

forEachAdapter(() => {
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
