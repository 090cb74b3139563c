import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';
import { REPO } from '../helpers/temp-project.ts';
import { writeWatcher } from '../helpers/watch.ts';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(REPO, 'bin/packgate.js'), ...args], { cwd: REPO, encoding: 'utf8' });

test("--version and -V print packgate's version, from its package.json, exit 0", () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const result = cli(flag);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  }
  expect(cli('--help').stdout).toContain("-V, --version         print packgate's version");
});

test('a reader that stops early (packgate lint | head) ends the command quietly, with its own exit code', async () => {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/packgate.js'), 'lint'], { cwd: REPO });
  // Closed before the command writes a line: every write of it meets a closed pipe.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', chunk => (stderr += String(chunk)));
  const code = await new Promise<number | null>(resolve => child.on('close', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
});

// Before: the first write to the closed pipe ended the process, exit 0: `watch run W | head` left
// the watched job failing (exit 3) unrecorded and said success; so would any command that prints
// before it writes the store.
test('a reader that stops early does not stop the work: watch run still closes the run out, with its exit code', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'W-PIPE', TASK_KIND: 'watch' });
  const file = writeWatcher(project, 'w/pipe.yaml', {
    id: 'W-PIPE',
    task_id: 'W-PIPE',
    watch: { command: 'echo one; sleep 0.2; echo two; exit 3' },
  });
  const child = spawn(process.execPath, [path.join(project.dir, 'bin/packgate.js'), 'watch', 'run', file], {
    cwd: project.dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...project.temp.env },
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', chunk => (stderr += String(chunk)));
  const code = await new Promise<number | null>(resolve => child.on('close', resolve));
  expect(stderr).not.toContain('EPIPE');
  expect(code, stderr).toBe(1);

  const shown = await project.json<{ closeouts: Array<{ status: string; exitCode: number | null }> }>([
    'watch',
    'show',
    file,
  ]);
  expect(shown.body.closeouts).toEqual([expect.objectContaining({ status: 'failure', exitCode: 3 })]);
});
