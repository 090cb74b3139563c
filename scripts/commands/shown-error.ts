import { PackgateError } from '../../src/diagnostics/errors.ts';

/**
 * PACKGATE_DEBUG holds words, as for the bundle (bin/run-bundled.js): `stack` prints the stack trace of
 * an error the CLI reports, and of each error that caused it, below its message.
 */
export const DEBUG_VAR = 'PACKGATE_DEBUG';

/**
 * What the CLI shows of a thrown error: a PackgateError as it is; anything else, which nothing in
 * packgate turned into one, as an INTERNAL error of one line, what was thrown, with the way to see
 * where (PACKGATE_DEBUG=stack) instead of Node's stack trace. Not hidden: it says it is a bug (or,
 * for a system call that failed, what failed), and the stack is one variable away. Exit 1, the code
 * Node exits with on an uncaught error, as before: a script sees the same code, and `--json` now
 * prints `error.code: "INTERNAL"` where it printed nothing.
 */
export function shownError(error: unknown): PackgateError {
  if (error instanceof PackgateError) return error;
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  // Node's own words name the call, the code and the path: "EACCES: permission denied, open '/x/y'".
  if (typeof code === 'string' && typeof syscall === 'string')
    return new PackgateError('INTERNAL', `unexpected system error: ${thrown(error)}`, {
      hint: `packgate did not expect ${syscall} to fail here: fix what it names and run the command again (${DEBUG_VAR}=stack prints where it failed)`,
      exitCode: 1,
      cause: error,
    });
  return new PackgateError('INTERNAL', `internal error: ${thrown(error)}`, {
    hint:
      'a bug in packgate, not in what it was given: run the command again with ' +
      `${DEBUG_VAR}=stack, which prints where it was thrown, and report what it prints`,
    exitCode: 1,
    cause: error,
  });
}

/** The first line of what was thrown, with its class unless it is a plain Error. */
function thrown(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const line = error.message.split('\n')[0];
  return error.name === 'Error' ? line : `${error.name}: ${line}`;
}

/** With PACKGATE_DEBUG=stack: the error's stack trace on stderr, then its causes', each its own. */
export function writeStack(error: unknown, env: NodeJS.ProcessEnv = process.env): void {
  if (!/\bstack\b/.test(env[DEBUG_VAR] ?? '')) return;
  const seen = new Set<unknown>();
  for (let e = error; e !== undefined && !seen.has(e); e = (e as { cause?: unknown } | null)?.cause) {
    seen.add(e);
    process.stderr.write(`${seen.size > 1 ? 'caused by: ' : ''}${e instanceof Error ? e.stack : String(e)}\n`);
  }
}
