import path from 'node:path';
import { PackgateError, type PackgateErrorCode } from '../diagnostics/errors.ts';

/** What packgate was doing with the store when its database failed. */
export type StoreWork = 'open' | 'read' | 'write';

const DOING: Record<StoreWork, string> = { open: 'cannot open', read: 'cannot read', write: 'cannot write to' };

/**
 * What a database error not of the environment's making may be: something else changed the store
 * (a trigger, a hand edit, another program's tables), or packgate asked for what the schema does not
 * allow, a bug. Said as both, with where to look.
 */
function refusedHint(code: string): string {
  return (
    `the database refused what packgate asked (${code}): unless something else changes this store ` +
    '(a trigger, a hand edit), this is a bug in packgate; PACKGATE_DEBUG=stack shows where it was asked'
  );
}

/** The codes of a disk that is full (SQLite's, Node's errno) or failed under the file system, by cause. */
const DISK_CAUSES: Record<string, 'full' | 'failed'> = {
  SQLITE_FULL: 'full',
  ENOSPC: 'full',
  EDQUOT: 'full',
  SQLITE_IOERR: 'failed',
  EIO: 'failed',
};

/**
 * What to do about the disk under `folder` when `code` (SQLite's primary result code or Node's errno)
 * says it is full or failed; undefined for any other code. The store file's and its evidence folder's
 * errors share it: one cause, one wording.
 */
export function diskHint(code: string, folder: string): string | undefined {
  switch (DISK_CAUSES[code]) {
    case 'full':
      return `the disk holding ${folder} is full: free space on it, then run the command again`;
    case 'failed':
      // SQLite says SQLITE_IOERR for a write a full disk refused, too.
      return (
        `the disk or file system under ${folder} failed (full, a mount that went away, failing hardware): ` +
        'check it (df, dmesg), then run the command again'
      );
    default:
      return undefined;
  }
}

/**
 * SQLite's error (better-sqlite3's SqliteError, whose `code` is SQLite's extended result code) as
 * the error packgate shows: what failed on which store file, and what to do. A locked store is
 * STORE_UNAVAILABLE (running it again later may do); the rest STORE_FAILED. The driver's error is
 * the cause (see databaseError).
 */
export function sqliteFailure(
  error: Error & { code: string },
  file: string,
  work: StoreWork,
  /** How long the call waited for the lock, where it waited (packgate.yaml store.wait_s). */
  waitedMs?: number,
): PackgateError {
  const folder = path.dirname(file);
  const sqliteCode = /^SQLITE_[A-Z]+/.exec(error.code)?.[0] ?? error.code;
  const [code, hint]: [PackgateErrorCode, string] = ((): [PackgateErrorCode, string] => {
    const disk = diskHint(sqliteCode, folder);
    if (disk) return ['STORE_FAILED', disk];
    switch (sqliteCode) {
      case 'SQLITE_BUSY':
      case 'SQLITE_LOCKED':
        return [
          'STORE_UNAVAILABLE',
          `another process holds it locked${waited(waitedMs)}: ` +
            `find it with \`fuser ${file}\`, and run the command again once it is done`,
        ];
      case 'SQLITE_READONLY':
      case 'SQLITE_PERM':
      case 'SQLITE_CANTOPEN':
      case 'SQLITE_AUTH':
        return [
          'STORE_FAILED',
          `packgate must read and write ${file} and its folder (SQLite keeps ${path.basename(file)}-wal and ` +
            `${path.basename(file)}-shm beside it): make them writable for this user (ls -l ${folder})`,
        ];
      case 'SQLITE_CORRUPT':
      case 'SQLITE_NOTADB':
        return [
          'STORE_FAILED',
          `${file} is damaged or not a packgate queue store: restore it from a backup, or point store.path in packgate.yaml at another file`,
        ];
      default:
        return ['STORE_FAILED', refusedHint(error.code)];
    }
  })();
  return new PackgateError(code, `${DOING[work]} the queue store ${file}: ${error.message} (${error.code})`, {
    hint,
    cause: error,
  });
}

/**
 * A file system error of the evidence folder beside a SQLite store (FileBlobStore) as the error packgate
 * shows, worded as sqliteFailure words the store file's: what failed on which path, and what to do.
 * Said STORE_FAILED, where it read as an unexpected system error.
 */
export function blobFailure(error: NodeJS.ErrnoException, dir: string, file: string): PackgateError {
  return folderFailure(error, dir, file, {
    failed: `cannot store evidence in ${dir}`,
    unwritable: `packgate must write the evidence folder ${dir}: make it writable for this user (ls -ld ${dir})`,
    blocked:
      `${dir} must be a folder of evidence files (sha256/<ab>/<digest>), and something in the way is a file: ` +
      `move it aside (ls -l ${dir}), then run the command again`,
  });
}

/**
 * The folder of a SQLite store file that could not be made (store.path under a file, or where this
 * user may not write) as the error packgate shows, worded as blobFailure words the evidence folder's.
 * Said STORE_FAILED, where it read as an unexpected system error (exit 1).
 */
export function storeFolderFailure(error: NodeJS.ErrnoException, file: string): PackgateError {
  const folder = path.dirname(file);
  return folderFailure(error, folder, folder, {
    failed: `cannot open the queue store ${file}`,
    unwritable: `packgate must make the folder ${folder}: make its parent writable for this user, or point store.path in packgate.yaml elsewhere`,
    blocked: `something in the way of the folder ${folder} is a file: move it aside, or point store.path in packgate.yaml elsewhere`,
  });
}

/**
 * A file system error under `folder` (Node's, of a call on `file`) as STORE_FAILED: `failed`, what
 * failed on which path, and what to do: about the disk, a file in the way (`blocked`), no right to
 * write (`unwritable`), else to look.
 */
function folderFailure(
  error: NodeJS.ErrnoException,
  folder: string,
  file: string,
  words: { failed: string; unwritable: string; blocked: string },
): PackgateError {
  const errno = error.code ?? error.name;
  const hint = ((): string => {
    const disk = diskHint(errno, folder);
    if (disk) return disk;
    switch (errno) {
      case 'EACCES':
      case 'EPERM':
      case 'EROFS':
        return words.unwritable;
      case 'ENOTDIR':
      case 'EEXIST':
        return words.blocked;
      default:
        return `check ${folder} and the disk under it, then run the command again`;
    }
  })();
  return new PackgateError('STORE_FAILED', `${words.failed}: ${systemCallFailed(error, file)}`, { hint, cause: error });
}

/** Node's "ENOTDIR: not a directory, mkdir '<path>'" as what failed on which path: `mkdir <path>: not a directory (ENOTDIR)`. */
function systemCallFailed(error: NodeJS.ErrnoException, file: string): string {
  const why = error.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
  const failed = error.syscall ? `${error.syscall} ${error.path ?? file}: ` : '';
  return `${failed}${why} (${error.code ?? error.name})`;
}

/** Node's codes for a connection that could not be made or was cut. */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  // A socket-folder URL whose socket is gone.
  'ENOENT',
]);

/** What node-postgres throws itself (no SQLSTATE) when its connection ends or cannot be had. */
const PG_CONNECTION_MESSAGES =
  /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i;

/**
 * Whether node-postgres failed for want of a connection: Node's socket errors, the SQLSTATE classes of a
 * connection lost (08) or a server shutting down (57P01 to 57P03), or pg's own words for a connection
 * that ended. Not a server's answer to a statement.
 */
export function isPostgresConnectionFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (CONNECTION_ERRNOS.has(code) || /^08|^57P0[123]$/.test(code))) return true;
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message);
}

/** ` (waited 30 s: store.wait_s in packgate.yaml)`, where a call waited for a lock; else nothing. */
function waited(waitedMs: number | undefined): string {
  return waitedMs ? ` (waited ${Math.round(waitedMs / 1000)} s: store.wait_s in packgate.yaml)` : '';
}

/**
 * PostgreSQL's error (the server's, with its SQLSTATE `code`, or node-postgres's for a connection
 * that failed: see isPostgresConnectionFailure) as the error packgate shows: what failed on which
 * store (`display`, its password masked), and what to do. A connection that failed, a server out of
 * connections and a conflict with another transaction are STORE_UNAVAILABLE (running it again may
 * do); the rest STORE_FAILED.
 */
export function postgresFailure(
  error: Error & { code?: unknown },
  display: string,
  work: StoreWork,
  /** How long the call waited for a lock (lock_timeout: packgate.yaml store.wait_s). */
  waitedMs?: number,
): PackgateError {
  const sqlstate = typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) ? error.code : undefined;
  const [code, hint]: [PackgateErrorCode, string] = ((): [PackgateErrorCode, string] => {
    if (isPostgresConnectionFailure(error))
      return [
        'STORE_UNAVAILABLE',
        'the connection to the PostgreSQL server failed or was cut: check that it is up and reachable (pg_isready), then run the command again',
      ];
    switch (sqlstate) {
      case '25006':
        return [
          'STORE_FAILED',
          'the database takes no writes (a standby, or default_transaction_read_only is on): point the store URL at the primary, or turn read-only off for it',
        ];
      case '42501':
        return [
          'STORE_FAILED',
          "the store URL's user may not do this: connect as the user that owns the store's tables, or grant this one their rights",
        ];
      case '53100':
        return ['STORE_FAILED', "the PostgreSQL server's disk is full: free space on it, then run the command again"];
      case '53300':
        return [
          'STORE_UNAVAILABLE',
          'the PostgreSQL server takes no more connections: run the command again once others have ended',
        ];
      case '40001':
      case '40P01':
        return [
          'STORE_UNAVAILABLE',
          "it conflicted with another session's transaction (none of it was written): run the command again",
        ];
      case '55P03':
        return [
          'STORE_UNAVAILABLE',
          `another session holds what it needs locked${waited(waitedMs)}: ` +
            "find it in pg_locks and pg_stat_activity (an agent's open transaction), and run the command again once it is done",
        ];
      case '57014':
        return [
          'STORE_FAILED',
          'the server cancelled the statement (a statement_timeout, or an administrator): run the command again, or ask why',
        ];
      default:
        return ['STORE_FAILED', refusedHint(sqlstate ? `SQLSTATE ${sqlstate}` : String(error.code ?? error.name))];
    }
  })();
  const said = sqlstate ? `${error.message} (SQLSTATE ${sqlstate})` : error.message;
  return new PackgateError(code, `${DOING[work]} the queue store ${display}: ${said}`, { hint, cause: error });
}

/**
 * The database's own error behind one a store adapter turned into a packgate error (sqliteFailure,
 * postgresFailure), else `error` itself: what a caller asks the dialect about (a unique violation).
 */
export function databaseError(error: unknown): unknown {
  if (error instanceof PackgateError && (error.code === 'STORE_FAILED' || error.code === 'STORE_UNAVAILABLE'))
    return error.cause ?? error;
  return error;
}
