import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { notStarted } from '../../src/watch/not-started.ts';
import { supervise } from '../../src/watch/supervise.ts';

// A command that cannot start: what supervise throws, as the error `watch run` shows.
async function startIn(root: string, cwd: string, command = 'true'): Promise<PackgateError> {
  const logDir = path.join(root, '.packgate/watch-logs');
  const logFile = path.join(logDir, 'W-1-run.log');
  try {
    await supervise({ command, cwd, env: {}, deadlineMs: 10_000, logFile, redact: s => s });
  } catch (error) {
    return notStarted(error, { root, watcher: 'W-1', logDir, logFile, cwd });
  }
  throw new Error('the command started');
}

test('a folder the command runs in that is gone: named, relative to the root, not as "spawn /bin/sh ENOENT"', async ({}, testInfo) => {
  const root = testInfo.outputPath('project');
  fs.mkdirSync(root, { recursive: true });
  const error = await startIn(root, path.join(root, 'worktrees/W-1'));
  expect(error.code).toBe('WATCH_NOT_STARTED');
  expect(error.exitCode).toBe(2);
  expect(error.message).toBe(
    'watcher W-1 did not run its command: the folder it runs in, worktrees/W-1, does not exist\n' +
      "  hint: a command runs in the packet's cwd (relative to the project root), else the task's worktree, " +
      "else the root: create it or fix the packet's cwd; nothing ran",
  );
});

test('a folder where the run log goes: a packgate error before the command runs, not a crash once it has started', async ({}, testInfo) => {
  const root = testInfo.outputPath('project');
  fs.mkdirSync(path.join(root, '.packgate/watch-logs/W-1-run.log'), { recursive: true });
  const error = await startIn(root, root, 'touch ran.marker');
  expect(error.code).toBe('WATCH_NOT_STARTED');
  expect(error.message).toBe(
    'watcher W-1 did not run its command: cannot create its log .packgate/watch-logs/W-1-run.log: a folder is in the way\n' +
      '  hint: move or remove the folder .packgate/watch-logs/W-1-run.log: watch run keeps the logs of its runs in ' +
      '.packgate/watch-logs/; nothing ran',
  );
  expect(fs.existsSync(path.join(root, 'ran.marker'))).toBe(false);
});
