import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { blobFailure, sqliteFailure } from '../../src/store/store-error.ts';

/** What a call throws, as the error it is. */
function thrown<E extends Error>(work: () => unknown): E {
  try {
    work();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected it to throw');
}

/**
 * One cause, one hint: a disk that filled up or failed is said the same whether SQLite's store file or
 * the evidence folder beside it met it. Before, each wrote its own, and a failed disk read as "(full, a
 * mount that went away, ...)" for the store file but "(a mount that went away, ...)" for its evidence.
 */
test('a full disk is said the same for the SQLite store file and its evidence folder', () => {
  const folder = test.info().outputPath('store');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'queue.db');
  // SQLite's own SQLITE_FULL: the database may grow no further than its page limit.
  const db = new Database(file);
  const full = thrown<Error & { code: string }>(() => {
    db.exec('CREATE TABLE t (x BLOB)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024));
  });
  db.close();
  expect(full.code).toBe('SQLITE_FULL');
  // Node's own ENOSPC: /dev/full refuses every write as a full disk does.
  const enospc = thrown<NodeJS.ErrnoException>(() => fs.writeFileSync('/dev/full', 'evidence'));
  expect(enospc.code).toBe('ENOSPC');

  const hint = `the disk holding ${folder} is full: free space on it, then run the command again`;
  expect(sqliteFailure(full, file, 'write').hint).toBe(hint);
  expect(blobFailure(enospc, folder, path.join(folder, 'sha256/ab/abcd')).hint).toBe(hint);
});

test('a failed disk is said the same for the SQLite store file and its evidence folder', () => {
  const folder = '/srv/packgate/.packgate';
  // The errors as better-sqlite3 and Node make them for a read or write the disk failed.
  const ioerr = new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE');
  const eio = Object.assign(new Error("EIO: i/o error, write '/srv/packgate/.packgate/sha256/ab/abcd'"), {
    code: 'EIO',
    errno: -5,
    syscall: 'write',
  });

  const hint =
    `the disk or file system under ${folder} failed (full, a mount that went away, failing hardware): ` +
    'check it (df, dmesg), then run the command again';
  expect(sqliteFailure(ioerr, `${folder}/queue.db`, 'write').hint).toBe(hint);
  expect(blobFailure(eio, folder, `${folder}/sha256/ab/abcd`).hint).toBe(hint);
});
