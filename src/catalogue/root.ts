import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';

export const MANIFEST_FILE = 'packgate.yaml';

/** The folder holding packgate.yaml, searching upward from `start`. */
export function findRoot(start: string): string {
  const root = rootAbove(start);
  if (root === undefined)
    throw new PackgateError('ROOT_NOT_FOUND', `no ${MANIFEST_FILE} in ${start} or any folder above it`, {
      hint: `run packgate inside a packgate project, or create ${MANIFEST_FILE} at its root`,
    });
  return root;
}

/** The folder holding packgate.yaml at or above `start`, if there is one. */
export function rootAbove(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, MANIFEST_FILE))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
