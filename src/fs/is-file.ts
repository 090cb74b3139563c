import fs from 'node:fs';

/** Whether `file` is a file, following a link; false for a folder, or for nothing there. */
export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
