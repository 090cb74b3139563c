import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { shownError } from '../../scripts/commands/shown-error.ts';

test("the CLI shows a packgate error as it is, anything else as INTERNAL in one line, exit 1 (Node's own for an uncaught error)", () => {
  const ours = new PackgateError('TASK_UNKNOWN', 'no task T-1');
  expect(shownError(ours)).toBe(ours);

  const bug = shownError(new TypeError("Cannot read properties of undefined (reading 'id')\n    at somewhere"));
  expect(bug).toMatchObject({ code: 'INTERNAL', exitCode: 1 });
  expect(bug.message.split('\n')[0]).toBe(
    "internal error: TypeError: Cannot read properties of undefined (reading 'id')",
  );
  expect(bug.hint).toContain('a bug in packgate');
  expect(bug.hint).toContain('PACKGATE_DEBUG=stack');
  expect(shownError('a string').message.split('\n')[0]).toBe('internal error: a string');

  // A system call that failed is not called a bug: Node's words say which call, what and where.
  let system: unknown;
  try {
    fs.readFileSync('/nonexistent/packgate/file');
  } catch (error) {
    system = error;
  }
  const shown = shownError(system);
  expect(shown.message.split('\n')[0]).toBe(
    "unexpected system error: ENOENT: no such file or directory, open '/nonexistent/packgate/file'",
  );
  expect(shown.hint).toBe(
    'packgate did not expect open to fail here: fix what it names and run the command again (PACKGATE_DEBUG=stack prints where it failed)',
  );
  expect(shown.cause).toBe(system);
});
