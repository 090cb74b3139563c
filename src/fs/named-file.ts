import fs from 'node:fs';
import path from 'node:path';
import { PackgateError, type PackgateErrorCode } from '../diagnostics/errors.ts';

/**
 * Reads a file a person named on the command line, relative to the project root. One that cannot
 * be read is bad input, named as given with why in words (`<what> <file>: no such file`), the
 * caller's hint saying what to do, and where it was looked for when the command ran in a folder
 * below the root.
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
    const hint = [notHere(root, file, full), problem.hint].filter(Boolean).join('; ');
    throw new PackgateError(
      problem.code,
      `${problem.what ? `${problem.what} ` : ''}${file}: ${unreadable(error)}`,
      hint ? { hint } : {},
    );
  }
}

/** Node's file errors as a person says them; its own text ("ENOENT: no such file or directory, open '/abs/path'") is for programs. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'a loop of symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** Why a file could not be read: in words for the common cases, else Node's code (or message). */
export function unreadable(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code && FILE_ERRORS[code]) || code || message;
}

/**
 * Run from a folder below the root, a relative path that is not found is said to be read from the
 * root, with the path to give when the file is where the shell's folder says.
 */
function notHere(root: string, file: string, full: string): string | undefined {
  const here = path.resolve(file);
  if (path.isAbsolute(file) || here === full) return undefined;
  const reading = `${file} is read from the project root ${root}, not from this folder`;
  return fs.existsSync(here) ? `${reading}: give it as ${displayPath(root, here)}` : reading;
}

/** A path as messages show it: relative to the root when inside it, with forward slashes. */
export function displayPath(root: string, full: string): string {
  const rel = path.relative(root, full);
  return (rel.startsWith('..') ? full : rel).split(path.sep).join('/');
}
