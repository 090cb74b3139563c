import fs from 'node:fs';
import type { QueueStore } from '../store/queue-store.ts';
import { HttpError } from './http-kit.ts';

/**
 * For a SQLite store, a check that the file at its path is still the one the dashboard opened. SQLite
 * reads on from a file it has open once it is removed or replaced (a store moved away, restored from a
 * backup, made anew): the dashboard would show what it held then as live. A 503 saying so instead,
 * with what to do. Undefined for PostgreSQL, whose server says when it is gone.
 */
export function storeFileCheck(store: QueueStore): (() => void) | undefined {
  if (store.kind !== 'sqlite') return undefined;
  const file = store.location;
  const opened = fs.statSync(file);
  return () => {
    const now = fs.statSync(file, { throwIfNoEntry: false });
    if (now && now.ino === opened.ino && now.dev === opened.dev) return;
    throw new HttpError(
      503,
      now
        ? `the queue store ${file} was replaced by another file after the dashboard opened it: restart \`packgate dashboard\` to read the one there now`
        : `the queue store ${file} was removed after the dashboard opened it: restart \`packgate dashboard\` once the store is there again`,
    );
  };
}
