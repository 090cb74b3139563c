import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';

export const MANIFEST_FILE = 'packgate.yaml';

/** The folder holding packgate.yaml, searching upward from `start`. */
export function findRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, MANIFEST_FILE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new PackgateError('ROOT_NOT_FOUND', `no ${MANIFEST_FILE} in ${start} or any folder above it`, {
        hint: `run packgate inside a packgate project, or create ${MANIFEST_FILE} at its root`,
      });
    dir = parent;
  }
}
