import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { FileBlobStore, SqlBlobStore } from './blobs.ts';
import { DEFAULT_STORE_PATH, DEFAULT_STORE_URL_ENV } from './configured.ts';
import { currentVersion, LATEST_SCHEMA_VERSION } from './migrations.ts';
import { describeLocation, type StoreLocation } from './open.ts';
import type { QueueStore, StoreOptions } from './queue-store.ts';
import type { SqlDatabase } from './sql.ts';
import { databaseError } from './store-error.ts';
import { SqlQueueStore } from './sql-queue-store.ts';
import { openSqliteDatabase } from './sqlite-database.ts';

/**
 * Opens an existing store for reading only (the dashboard): SQLite opens the file read-only, and a
 * PostgreSQL session has `default_transaction_read_only` on, so a write through it fails in the
 * database whatever the code above asks. Nothing is created and nothing migrated: a store on an older
 * schema is refused with the command that brings it up to date.
 */
export async function openStoreReadOnly(
  location: StoreLocation,
  options: StoreOptions & { givenAs?: string } = {},
): Promise<QueueStore> {
  const display = describeLocation(location);
  if (location.kind === 'sqlite' && !fs.existsSync(location.path))
    throw new PackgateError('STORE_UNAVAILABLE', `there is no queue store at ${display} yet`, {
      hint: options.givenAs
        ? `check the path ${options.givenAs} gives: a project's store is ${DEFAULT_STORE_PATH} in it, made by its first queue command`
        : 'a store is made by the first queue command (e.g. `packgate task list`); or give --store',
    });
  // SQLite opens a directory and then fails its first read with "disk I/O error": say what it is.
  if (location.kind === 'sqlite' && fs.statSync(location.path).isDirectory())
    throw new PackgateError('STORE_UNAVAILABLE', `${display} is a directory, not a queue store`, {
      hint: `give --store the store's file (${DEFAULT_STORE_PATH} in the project by default) or its PostgreSQL URL`,
    });
  const db =
    location.kind === 'sqlite'
      ? await openSqliteDatabase(location.path, { readOnly: true, waitMs: options.waitMs })
      : await (
          await import('./postgres-database.ts')
        ).openPostgresDatabase(location.url, location.display, { readOnly: true, waitMs: options.waitMs });
  try {
    const version = await schemaVersion(db, display);
    const blobs =
      location.kind === 'sqlite'
        ? new FileBlobStore(path.join(path.dirname(location.path), 'evidence'))
        : new SqlBlobStore(db);
    return new SqlQueueStore(db, blobs, display, version, options);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

async function schemaVersion(db: SqlDatabase, display: string): Promise<number> {
  let version: number | undefined;
  try {
    version = await currentVersion(db);
  } catch (error) {
    // A file that is no database at all is said as the store that is not there; any other failure (a
    // damaged file, a user with no right to read the store, a connection cut) as the store's error,
    // with what to do, where every one read as "no schema_migrations".
    if ((databaseError(error) as { code?: unknown })?.code !== 'SQLITE_NOTADB') throw error;
  }
  // No schema_migrations table: packgate never made a store there.
  if (version === undefined)
    throw new PackgateError('STORE_UNAVAILABLE', `${display} is not a packgate queue store (no schema_migrations)`, {
      hint: `give --store the store's file (${DEFAULT_STORE_PATH} in the project by default) or its PostgreSQL URL`,
    });
  if (version > LATEST_SCHEMA_VERSION)
    throw new PackgateError(
      'STORE_TOO_NEW',
      `the queue store ${display} was written by a newer packgate (schema version ${version}; this packgate knows up to ${LATEST_SCHEMA_VERSION})`,
      { hint: 'upgrade packgate to read it' },
    );
  if (version < LATEST_SCHEMA_VERSION)
    throw new PackgateError(
      'STORE_UNAVAILABLE',
      `the queue store ${display} is at schema version ${version}; this packgate reads version ${LATEST_SCHEMA_VERSION}`,
      {
        // Queue commands take no --store: they use the project's store (packgate.yaml `store:`, or the
        // PostgreSQL URL in its env var), and migrate it when they open it.
        hint:
          'the dashboard never writes: bring the store up to date by running any queue command (e.g. `packgate task list`) ' +
          `in the project whose store it is (packgate.yaml \`store:\`, or the PostgreSQL URL in ${DEFAULT_STORE_URL_ENV}), then run the dashboard again`,
      },
    );
  return version;
}
