import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO } from '../helpers/temp-project.ts';

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
