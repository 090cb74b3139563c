import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SqlDatabase } from './sql.ts';
import { blobFailure } from './store-error.ts';

/**
 * Evidence by content: a file is stored once under its SHA-256, records point at the digest, and
 * reading it back re-hashes it, so a changed byte shows as a mismatch instead of passing as evidence.
 */
export interface BlobStore {
  put(content: Buffer): Promise<{ digest: string; size: number }>;
  has(digest: string): Promise<boolean>;
  /** The content exactly as stored; check it with `verify` before trusting it. */
  get(digest: string): Promise<Buffer | undefined>;
  verify(digest: string): Promise<BlobCheck>;
  /** Where a person finds it: a file path, or `sha256:<digest>` inside the database. */
  locate(digest: string): string;
}

export type BlobCheck = { status: 'ok' } | { status: 'missing' } | { status: 'mismatch'; actual: string };

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export const DIGEST = /^[0-9a-f]{64}$/;

/** Both stores verify the same way: re-hash what `get` returns, wherever it was kept. */
abstract class HashedBlobStore {
  abstract get(digest: string): Promise<Buffer | undefined>;

  async verify(digest: string): Promise<BlobCheck> {
    const content = await this.get(digest);
    if (!content) return { status: 'missing' };
    const actual = sha256(content);
    return actual === digest ? { status: 'ok' } : { status: 'mismatch', actual };
  }
}

/**
 * Blobs as files beside the SQLite database: `<dir>/sha256/ab/abcdef...`. Each is written to a
 * temp file and renamed into place, so a crash leaves a whole file or none under the digest's name.
 * Files are made read-only to say they are not to be edited; verification is what detects an edit.
 */
export class FileBlobStore extends HashedBlobStore implements BlobStore {
  constructor(readonly dir: string) {
    super();
  }

  async put(content: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha256(content);
    const file = this.file(digest);
    if ((await this.verify(digest)).status === 'ok') return { digest, size: content.length };
    const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const fd = fs.openSync(temp, 'w', 0o444);
      try {
        fs.writeSync(fd, content);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      // Replaces a damaged copy in one step: a reader sees the old file or the new one.
      fs.renameSync(temp, file);
    } catch (error) {
      // Nothing half-written is left under the folder: the temp file goes with the failure.
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // No temp file was made where its folder could not be.
      }
      throw blobFailure(error as NodeJS.ErrnoException, this.dir, file);
    }
    return { digest, size: content.length };
  }

  async has(digest: string): Promise<boolean> {
    return DIGEST.test(digest) && fs.existsSync(this.file(digest));
  }

  async get(digest: string): Promise<Buffer | undefined> {
    if (!DIGEST.test(digest)) return undefined;
    try {
      return fs.readFileSync(this.file(digest));
    } catch {
      return undefined;
    }
  }

  locate(digest: string): string {
    return this.file(digest);
  }

  private file(digest: string): string {
    return path.join(this.dir, 'sha256', digest.slice(0, 2), digest);
  }
}

/** Blobs in the database itself (the PostgreSQL store), so every machine that reaches the store reaches them. */
export class SqlBlobStore extends HashedBlobStore implements BlobStore {
  constructor(private readonly db: SqlDatabase) {
    super();
  }

  async put(content: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha256(content);
    await this.db.run('INSERT INTO blobs (digest, size, content) VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING', [
      digest,
      content.length,
      content,
    ]);
    return { digest, size: content.length };
  }

  async has(digest: string): Promise<boolean> {
    return !!(await this.db.get('SELECT 1 AS found FROM blobs WHERE digest = ?', [digest]));
  }

  async get(digest: string): Promise<Buffer | undefined> {
    const row = await this.db.get<{ content: Buffer }>('SELECT content FROM blobs WHERE digest = ?', [digest]);
    return row?.content;
  }

  locate(digest: string): string {
    return `sha256:${digest}`;
  }
}
