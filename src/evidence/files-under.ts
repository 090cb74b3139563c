import fs from 'node:fs';
import path from 'node:path';
import { isFile } from '../fs/is-file.ts';

/**
 * Every file under `dir`, as absolute paths; links to folders are not followed, and a missing folder
 * holds none. `linksToFiles` also lists symbolic links that point at a file.
 */
export function filesUnder(dir: string, options: { linksToFiles?: boolean } = {}): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter(e => e.isFile() || (options.linksToFiles && e.isSymbolicLink() && isFile(path.join(e.parentPath, e.name))))
    .map(e => path.join(e.parentPath, e.name));
}
