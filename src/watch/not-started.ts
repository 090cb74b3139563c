import fs from 'node:fs';
import { PackgateError } from '../diagnostics/errors.ts';
import { displayPath } from '../fs/named-file.ts';

export type NotStartedAt = {
  root: string;
  watcher: string;
  /** The folder the watch logs go to, and the run's log in it. */
  logDir: string;
  logFile: string;
  /** Where the command was to run. */
  cwd: string;
};

/**
 * Why a watched command could not start, as the error a user reads instead of Node's and its
 * stack: what failed, the path (relative to the root), what to do. Exit 2 (see PackgateError):
 * nothing ran. The command itself missing is not this: the shell starts, exits 127, and the run
 * is closed out a failure.
 */
export function notStarted(error: unknown, at: NotStartedAt): PackgateError {
  const { code, syscall, path: failedPath, message } = error as NodeJS.ErrnoException;
  const shown = (file: string) => displayPath(at.root, file) || '.';
  const did = `watcher ${at.watcher} did not run its command`;
  // Node names the spawned program (/bin/sh) when the folder it was to run in is missing.
  if (syscall?.startsWith('spawn') && !isFolder(at.cwd))
    return new PackgateError('WATCH_NOT_STARTED', `${did}: the folder it runs in, ${shown(at.cwd)}, does not exist`, {
      hint:
        "a command runs in the packet's cwd (relative to the project root), else the task's worktree, else the root: " +
        "create it or fix the packet's cwd; nothing ran",
      cause: error,
    });
  if (syscall === 'mkdir' || syscall === 'open') {
    const file = failedPath ?? at.logFile;
    const what = file === at.logFile ? 'its log' : 'the folder of watch logs';
    // A file where a folder goes (EEXIST), or a folder where the log file goes (EISDIR).
    const inTheWay = code === 'EEXIST' ? 'file' : code === 'EISDIR' ? 'folder' : undefined;
    return new PackgateError(
      'WATCH_NOT_STARTED',
      `${did}: cannot create ${what} ${shown(file)}: ${inTheWay ? `a ${inTheWay} is in the way` : (code ?? message)}`,
      {
        hint: inTheWay
          ? `move or remove the ${inTheWay} ${shown(file)}: watch run keeps the logs of its runs in ${shown(at.logDir)}/; nothing ran`
          : `${shown(at.logDir)}/ must be a folder packgate can write; nothing ran`,
        cause: error,
      },
    );
  }
  return new PackgateError('WATCH_NOT_STARTED', `${did}: ${code ? `${code} (${message})` : message}`, {
    hint: `the command runs through /bin/sh in ${shown(at.cwd)}; nothing ran`,
    cause: error,
  });
}

function isFolder(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
