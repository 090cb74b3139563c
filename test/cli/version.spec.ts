import { spawnSync } from 'node:child_process';
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
