import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { checkoutOf, checkoutOfAsync, type Checkout } from '../../src/git/git.ts';
import { GIT_IDENTITY } from '../helpers/task-project.ts';

/**
 * The checkout a gate run records and attests: HEAD's commit, and whether the work tree differs,
 * only in the repository that tracks the project's packgate.yaml.
 */

/** A folder holding a packgate.yaml, and git run in it (by default in no repository above it). */
function project(dir: string, ceiling = true) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'packgate.yaml'), 'version: 1\n');
  const env = { ...process.env, ...GIT_IDENTITY, ...(ceiling ? { GIT_CEILING_DIRECTORIES: path.dirname(dir) } : {}) };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env }).trim();
  return { dir, git };
}

/** Both ways of asking, which must agree. */
async function checkout(dir: string): Promise<Checkout> {
  const sync = checkoutOf(dir);
  expect(await checkoutOfAsync(dir)).toEqual(sync);
  return sync;
}

test('a committed project: its commit, clean until a tracked file changes or an unignored file appears', async ({}, testInfo) => {
  const { dir, git } = project(testInfo.outputPath('repo'));
  git('init', '-q');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'scratch/\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  expect(await checkout(dir)).toEqual({ commit: git('rev-parse', 'HEAD'), dirty: false });

  fs.mkdirSync(path.join(dir, 'scratch'));
  fs.writeFileSync(path.join(dir, 'scratch/ignored.txt'), 'x');
  expect(await checkout(dir), 'an ignored file changes nothing').toEqual({
    commit: git('rev-parse', 'HEAD'),
    dirty: false,
  });

  fs.writeFileSync(path.join(dir, 'new.txt'), 'x');
  expect(await checkout(dir)).toEqual({ commit: git('rev-parse', 'HEAD'), dirty: true });
  fs.rmSync(path.join(dir, 'new.txt'));

  fs.appendFileSync(path.join(dir, 'packgate.yaml'), '# edited\n');
  expect(await checkout(dir)).toEqual({ commit: git('rev-parse', 'HEAD'), dirty: true });
  git('commit', '-q', '-am', 'second');
  git('checkout', '-q', '--detach', 'HEAD~1');
  expect(await checkout(dir), 'a detached HEAD is named by its commit').toEqual({
    commit: git('rev-parse', 'HEAD'),
    dirty: false,
  });
});

test('no checkout outside a repository, before the first commit, or in a repository that does not track the project', async ({}, testInfo) => {
  const outside = project(testInfo.outputPath('outside'));
  expect(await checkout(outside.dir)).toEqual({});

  const unborn = project(testInfo.outputPath('unborn'));
  unborn.git('init', '-q');
  unborn.git('add', 'packgate.yaml');
  expect(await checkout(unborn.dir), 'added, not committed').toEqual({});

  // An outer repository that merely contains the project (here, untracked in it).
  const outer = project(testInfo.outputPath('outer'));
  outer.git('init', '-q');
  outer.git('commit', '-q', '--allow-empty', '-m', 'outer');
  const inner = project(path.join(outer.dir, 'inner'), false);
  expect(await checkout(inner.dir)).toEqual({});
});
