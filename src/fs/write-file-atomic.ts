import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that a reader (another worker, a reporter, a crashed run's successor) sees the
 * old content or the new, never half of it: written beside it under a name of this process, then
 * renamed over it. The folder is created when missing; the temp file never outlives a failure.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { mode?: number } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, data, options.mode === undefined ? {} : { mode: options.mode });
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
