import fs from 'node:fs';
import path from 'node:path';
import { PackgateError, type PackgateErrorCode } from '../diagnostics/errors.ts';

/**
 * Reads a file a person named on the command line, relative to the project root. One that cannot
 * be read is bad input, named as given with why (ENOENT, EACCES, ...): `cannot read <what> <file>`.
 */
export function readNamedFile(
  root: string,
  file: string,
  problem: { code: PackgateErrorCode; what?: string; hint?: string },
): { full: string; content: Buffer } {
  const full = path.resolve(root, file);
  try {
    return { full, content: fs.readFileSync(full) };
  } catch (error) {
    throw new PackgateError(
      problem.code,
      `cannot read ${problem.what ? `${problem.what} ` : ''}${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      problem.hint ? { hint: problem.hint } : {},
    );
  }
}

/** A path as messages show it: relative to the root when inside it, with forward slashes. */
export function displayPath(root: string, full: string): string {
  const rel = path.relative(root, full);
  return (rel.startsWith('..') ? full : rel).split(path.sep).join('/');
}
