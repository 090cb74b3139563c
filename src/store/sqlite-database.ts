import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PackgateError } from '../diagnostics/errors.ts';
import { DEFAULT_STORE_WAIT_MS } from './configured.ts';
import { databaseError, sqliteFailure, storeFolderFailure, type StoreWork } from './store-error.ts';
import { storableParams, type SqlDatabase, type SqlRow, type SqlTransaction, type SqlValue } from './sql.ts';

/**
 * The embedded store: one SQLite file in WAL mode, shared by every process on the machine.
 *
 * - WAL lets readers go on while one process writes; `synchronous=NORMAL` keeps every committed
 *   transaction across a process crash (kill -9): only a power loss can lose the last commits,
 *   never corrupt the file.
 * - Every transaction is `BEGIN IMMEDIATE`: it takes the write lock before its first read, so two
 *   processes never both read, then both try to upgrade and fail; the loser waits and retries.
 *   It waits here, a few ms at a time without blocking the thread, rather than in SQLite's own
 *   busy handler, whose sleeps grow to 100 ms: with eight writers that cost most of the throughput.
 * - better-sqlite3 is synchronous; every call in a process goes through one queue per database
 *   file, so an `await` inside a transaction never lets another call run mid-transaction: not on
 *   the same connection, and not on a second connection to the same file, whose BEGIN would block
 *   the whole thread on the lock the first (now unable to run) holds.
 * - An error of SQLite's that leaves a call (or a whole transaction) is the store's error, naming the
 *   file and what to do (sqliteFailure); inside a transaction its callback sees SQLite's own.
 */
export async function openSqliteDatabase(
  file: string,
  options: { readOnly?: boolean; waitMs?: number } = {},
): Promise<SqlDatabase> {
  const waitMs = options.waitMs ?? DEFAULT_STORE_WAIT_MS;
  let db: Database.Database | undefined;
  try {
    if (options.readOnly) {
      // A reader (the dashboard) opens what exists and can write nothing: SQLite refuses every write.
      db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const opened = (db = new Database(file, { timeout: 0 }));
      // A process closing the store holds it a moment (its last connection folds the WAL into the file):
      // waited for as for any call, where the command opening it then failed as "database is locked".
      await whenNotBusy(() => opened.pragma('journal_mode = WAL'), waitMs);
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    }
  } catch (error) {
    db?.close();
    // The folder could not be made: a file in the way, no right to write there.
    if ((error as NodeJS.ErrnoException).syscall) throw storeFolderFailure(error as NodeJS.ErrnoException, file);
    // SQLite says "unable to open database file" for a folder too: say which it is.
    if (isFolder(file))
      throw new PackgateError('STORE_UNAVAILABLE', `cannot open the queue store ${file}: a folder, not a file`, {
        hint: 'remove or rename the folder, or point store.path in packgate.yaml at a file',
        cause: error,
      });
    if (error instanceof Database.SqliteError) throw sqliteFailure(error, file, 'open', options.readOnly ? 0 : waitMs);
    throw new PackgateError('STORE_UNAVAILABLE', `cannot open the queue store ${file}: ${(error as Error).message}`, {
      hint: 'check the file is a packgate queue store and its folder is writable',
      cause: error,
    });
  }
  return new SqliteDatabase(db, file, queueFor(fs.realpathSync(file)), waitMs);
}

/** Whether `file` is a folder; false where it cannot be looked at (no right to search its folder). */
function isFolder(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** One queue of calls per database file in this process. */
const queues = new Map<string, { tail: Promise<unknown> }>();

function queueFor(file: string): { tail: Promise<unknown> } {
  let queue = queues.get(file);
  if (!queue) queues.set(file, (queue = { tail: Promise.resolve() }));
  return queue;
}

class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly direct: SqlTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly queue: { tail: Promise<unknown> },
    private readonly waitMs: number,
  ) {
    this.direct = {
      all: <T extends SqlRow>(sql: string, params: readonly SqlValue[] = []) =>
        whenNotBusy(() => this.statement(sql).all(...storableParams(params)) as T[], waitMs),
      get: <T extends SqlRow>(sql: string, params: readonly SqlValue[] = []) =>
        whenNotBusy(() => this.statement(sql).get(...storableParams(params)) as T | undefined, waitMs),
      run: (sql: string, params: readonly SqlValue[] = []) =>
        whenNotBusy(() => {
          const statement = this.statement(sql);
          const values = storableParams(params);
          if (statement.reader) return statement.all(...values).length;
          return statement.run(...values).changes;
        }, waitMs),
      lock: async () => {},
      forUpdate: '',
    };
  }

  all<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.serialize('read', () => this.direct.all<T>(sql, params));
  }

  get<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.serialize('read', () => this.direct.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.serialize('write', () => this.direct.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.serialize('write', async () => {
      await whenNotBusy(() => this.db.exec('BEGIN IMMEDIATE'), this.waitMs);
      try {
        const result = await fn(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  isUniqueViolation(error: unknown): boolean {
    const code = (databaseError(error) as { code?: unknown })?.code;
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  }

  close(): Promise<void> {
    return this.serialize('write', async () => void this.db.close());
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private serialize<T>(work: StoreWork, fn: () => Promise<T>): Promise<T> {
    const translated = () =>
      fn().catch(error => {
        throw error instanceof Database.SqliteError ? sqliteFailure(error, this.file, work, this.waitMs) : error;
      });
    const result = this.queue.tail.then(translated, translated);
    this.queue.tail = result.catch(() => {});
    return result;
  }
}

/**
 * Runs `fn`, retrying while another process holds the database lock (SQLITE_BUSY), with short
 * random sleeps so waiting writers do not wake in step; gives up after `waitMs` with SQLite's
 * own error, which the call's sqliteFailure words as a store found locked when opened is: one wording
 * of a locked store, whenever it is met.
 */
async function whenNotBusy<T>(fn: () => T, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      const code = String((error as { code?: unknown })?.code ?? '');
      if (!code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 1 + Math.random() * Math.min(2 ** attempt, 20)));
    }
  }
}
