import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO } from '../helpers/ports.ts';
import { TaskProject } from '../helpers/task-project.ts';

/** Node's stack frames, which a user was shown in place of what failed. */
const STACK_FRAME = /^\s+at /m;

// Before: Node's stack trace of a SyntaxError, and nothing on stdout with --json.
test('what packgate did not expect is an internal error of one line, exit 1; its stack only with PACKGATE_DEBUG=stack', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const made = await project.packgate([
    'packet',
    'new',
    '--task-id',
    'T-1',
    '--owner-lane',
    'C-ops',
    '--goal',
    'a goal',
    '--pack',
    'auth-session',
  ]);
  expect(made.exitCode, made.output).toBe(0);
  const started = await project.packgate(['task', 'start', 'T-1', '--no-worktree', '--session', 's-1']);
  expect(started.exitCode, started.output).toBe(0);
  // A row no packgate writes: its claim event's body is not JSON.
  project.sql(`UPDATE task_events SET body = '{not json' WHERE task_id = 'T-1'`);

  const shown = await project.packgate(['task', 'show', 'T-1']);
  expect(shown.stderr).toMatch(
    /^packgate: internal error: SyntaxError: .*JSON.*\n {2}hint: a bug in packgate, not in what it was given: run the command again with PACKGATE_DEBUG=stack, which prints where it was thrown, and report what it prints\n$/,
  );
  expect(shown.stderr).not.toMatch(STACK_FRAME);
  expect(shown.exitCode).toBe(1);

  const json = await project.json<{ ok: boolean; error: { code: string; message: string } }>(['task', 'show', 'T-1']);
  expect(json.body).toMatchObject({
    ok: false,
    error: { code: 'INTERNAL', message: expect.stringMatching(/^internal error: SyntaxError: /) },
  });
  expect(json.result.exitCode).toBe(1);

  const debug = await project.packgate(['task', 'show', 'T-1'], { PACKGATE_DEBUG: 'stack' });
  expect(debug.stderr).toMatch(/\nSyntaxError: .*\n {4}at JSON\.parse /);
  expect(debug.stderr).toMatch(/event-repository\.ts:\d+:\d+\)/);
});

// Before: Node's stack trace of the ENOSPC, thrown from the CLI's stdout handler.
test('output that cannot be written (stdout on a full disk) is said in a line with what to do, exit 1, no stack', () => {
  const full = fs.openSync('/dev/full', 'w');
  try {
    const lint = spawnSync(process.execPath, [path.join(REPO, 'bin/packgate.js'), 'lint'], {
      cwd: REPO,
      stdio: ['ignore', full, 'pipe'],
      encoding: 'utf8',
    });
    expect(lint.stderr).toBe(
      'packgate: cannot write its output to stdout: ENOSPC: no space left on device, write\n' +
        '  hint: what stdout goes to failed (a full disk, a closed file): fix it and run the command again\n',
    );
    expect(lint.status).toBe(1);
  } finally {
    fs.closeSync(full);
  }
});

// Before: help and the version ended the process as soon as they were handed to stdout, exit 0,
// before the failed write was said: `packgate --help > file` on a full disk wrote nothing, silently.
test('help or the version that cannot be written (a full disk) is said in a line, exit 1', () => {
  const full = fs.openSync('/dev/full', 'w');
  try {
    for (const args of [['--help'], ['--version'], ['task', 'start', '--help']]) {
      const shown = spawnSync(process.execPath, [path.join(REPO, 'bin/packgate.js'), ...args], {
        cwd: REPO,
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(shown.stderr, args.join(' ')).toBe(
        'packgate: cannot write its output to stdout: ENOSPC: no space left on device, write\n' +
          '  hint: what stdout goes to failed (a full disk, a closed file): fix it and run the command again\n',
      );
      expect(shown.status, args.join(' ')).toBe(1);
    }
  } finally {
    fs.closeSync(full);
  }
});
