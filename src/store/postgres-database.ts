import pg from 'pg';
import { PackgateError } from '../diagnostics/errors.ts';
import { DEFAULT_STORE_WAIT_MS } from './configured.ts';
import { databaseError, isPostgresConnectionFailure, postgresFailure, type StoreWork } from './store-error.ts';
import {
  numberPlaceholders,
  storableParams,
  type SqlDatabase,
  type SqlRow,
  type SqlTransaction,
  type SqlValue,
} from './sql.ts';

/** How long a connection may take to be ready when the URL does not say (`connect_timeout`). */
const DEFAULT_CONNECT_TIMEOUT_S = 10;

/** A URL whose password holds a "/", encoded. */
const STORE_URL_EXAMPLE = 'postgresql://agent:pa%2Fss@db.internal:5432/queue';

/**
 * The shared store: a PostgreSQL database that CI runners and agents on many machines reach.
 * Transactions run on one pooled connection each; named locks are transaction-scoped advisory
 * locks, and reads that decide a write lock their rows (`FOR UPDATE`), so two sessions racing for
 * one task queue behind each other and the second sees the first's commit. An error of the server's,
 * or a connection that failed, that leaves a call (or a whole transaction) is the store's error,
 * naming it and what to do (postgresFailure); inside a transaction its callback sees pg's own.
 */
export async function openPostgresDatabase(
  url: string,
  display: string,
  options: { readOnly?: boolean; waitMs?: number } = {},
): Promise<SqlDatabase> {
  // A reader's sessions refuse every write: the server enforces it, not the caller's good manners.
  const readOnly = options.readOnly ? { options: '-c default_transaction_read_only=on' } : {};
  const timeoutS = connectTimeoutS(url, display);
  // node-postgres waits for a connection without limit: a server that drops packets or never answers
  // would hold a gate's end, or a CLI command, for minutes.
  // A lock another session keeps (an agent's transaction left open) is waited for as SQLite's is, for
  // store.wait_s, then fails saying so (SQLSTATE 55P03), where it waited without end.
  const waitMs = options.waitMs ?? DEFAULT_STORE_WAIT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: timeoutS * 1000,
    lock_timeout: waitMs,
    ...readOnly,
  });
  // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    // pg reads the URL when it first connects: one it cannot parse is the setting's fault, not the server's.
    if ((error as NodeJS.ErrnoException).code === 'ERR_INVALID_URL')
      throw new PackgateError('INPUT_INVALID', `the queue store URL ${display} is not a valid URL`, {
        hint:
          'percent-encode what a URL reserves in the user name and password (/ ? # @ : [ ] as %2F %3F %23 %40 %3A %5B %5D), ' +
          `e.g. ${STORE_URL_EXAMPLE}`,
        cause: error,
      });
    const timedOut = timeoutS > 0 && /timeout/i.test((error as Error).message);
    throw new PackgateError(
      'STORE_UNAVAILABLE',
      `cannot connect to the queue store ${display}: ` +
        (timedOut ? `no answer within ${timeoutS} s` : (error as Error).message),
      {
        hint:
          'check the connection URL and that the PostgreSQL server is up and reachable' +
          (timedOut ? '; a slow network may need more: connect_timeout=<seconds> in the URL' : ''),
        cause: error,
      },
    );
  }
  return new PostgresDatabase(pool, display, waitMs);
}

/** How long a connection may take to be ready, in seconds: 10, or the URL's `connect_timeout` (libpq's; 0 waits forever). */
function connectTimeoutS(url: string, display: string): number {
  // The query alone: a socket-folder URL (`postgresql://agent@/queue?host=/run/pg`) is no WHATWG URL.
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const value = new URLSearchParams(query).get('connect_timeout');
  if (value === null) return DEFAULT_CONNECT_TIMEOUT_S;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seconds))
    throw new PackgateError(
      'INPUT_INVALID',
      `the queue store ${display}: connect_timeout=${value} is not a whole number of seconds`,
      {
        hint: `write connect_timeout=<seconds> in the URL, e.g. connect_timeout=30, or leave it out for ${DEFAULT_CONNECT_TIMEOUT_S} s`,
      },
    );
  return seconds;
}

type Queryable = { query: pg.Pool['query'] };

/** Errors pg threw for a call of ours (not the callback of a transaction): only those can be its connection's. */
const fromPg = new WeakSet<object>();

function thrownByPg(error: unknown): never {
  if (typeof error === 'object' && error !== null) fromPg.add(error);
  throw error;
}

class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly display: string,
    private readonly waitMs: number,
  ) {}

  all<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.query<T>(this.pool, sql, params).then(
      r => r.rows,
      error => this.failed(error, 'read'),
    );
  }

  get<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.all<T>(sql, params).then(rows => rows[0]);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.query(this.pool, sql, params).then(
      r => r.rowCount ?? 0,
      error => this.failed(error, 'write'),
    );
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    try {
      return await this.inTransaction(fn);
    } catch (error) {
      return this.failed(error, 'write');
    }
  }

  private async inTransaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch(thrownByPg);
    // A client taken from the pool whose connection is cut (the server restarted, killed) emits 'error'
    // besides failing its query; unheard, that event ends the process with Node's stack trace (the pool
    // listens to idle clients only). The query's failure is what the caller sees.
    let cut: unknown;
    const onError = (error: unknown) => (cut = error);
    client.on('error', onError);
    const tx: SqlTransaction = {
      all: async <R extends SqlRow>(sql: string, params: readonly SqlValue[] = []) =>
        (await this.query<R>(client, sql, params)).rows,
      get: async <R extends SqlRow>(sql: string, params: readonly SqlValue[] = []) =>
        (await this.query<R>(client, sql, params)).rows[0] as R | undefined,
      run: async (sql: string, params: readonly SqlValue[] = []) =>
        (await this.query(client, sql, params)).rowCount ?? 0,
      lock: async (name: string) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]).catch(thrownByPg);
      },
      forUpdate: ' FOR UPDATE',
    };
    let broken: unknown;
    try {
      await client.query('BEGIN').catch(thrownByPg);
      const result = await fn(tx);
      await client.query('COMMIT').catch(thrownByPg);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(rollbackError => (broken = rollbackError));
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state, and a cut one is no more: drop it rather than reuse it.
      client.off('error', onError);
      const dropped = broken ?? cut;
      client.release(dropped instanceof Error ? dropped : undefined);
    }
  }

  isUniqueViolation(error: unknown): boolean {
    return (databaseError(error) as { code?: unknown })?.code === '23505';
  }

  private ended?: Promise<void>;

  /** Ends the pool once: pg throws on a second end (a process closing on a signal and again on exit). */
  close(): Promise<void> {
    return (this.ended ??= this.pool.end());
  }

  private query<T extends SqlRow>(
    target: Queryable,
    sql: string,
    params: readonly SqlValue[],
  ): Promise<pg.QueryResult<T>> {
    let text = this.texts.get(sql);
    if (!text) {
      text = numberPlaceholders(sql);
      this.texts.set(sql, text);
    }
    return target.query<T>(text, storableParams(params)).catch(thrownByPg);
  }

  /**
   * The server's error, or pg's for a connection that failed, as the store's (postgresFailure); anything
   * else (a packgate error, a bug in a transaction's callback) as it was thrown.
   */
  private failed(error: unknown, work: StoreWork): never {
    if (error instanceof pg.DatabaseError || (fromPg.has(error as object) && isPostgresConnectionFailure(error)))
      throw postgresFailure(error as Error, this.display, work, this.waitMs);
    throw error;
  }
}
