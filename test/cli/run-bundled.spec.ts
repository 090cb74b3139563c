import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO } from '../helpers/temp-project.ts';

/**
 * bin/run-bundled.js, which runs the CLI and the reference stack from an esbuild bundle: run for real
 * in a folder laid out as packgate's install is (bin/, a linked node_modules), on a small entry.
 */
const ENTRY = `import { where } from './lib/where.ts';
if (process.env.THROW) throw new Error('thrown from the entry');
process.stdout.write(JSON.stringify(where));
`;
const where = (value: string) =>
  `export const where = { dir: import.meta.dirname, url: import.meta.url, value: ${JSON.stringify(value)} as string };\n`;

function install(dir: string): void {
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.copyFileSync(path.join(REPO, 'bin/run-bundled.js'), path.join(dir, 'bin/run-bundled.js'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  fs.writeFileSync(
    path.join(dir, 'run.js'),
    "import { runBundled } from './bin/run-bundled.js';\nawait runBundled('entry.ts');\n",
  );
  fs.writeFileSync(path.join(dir, 'entry.ts'), ENTRY);
  fs.writeFileSync(path.join(dir, 'lib/where.ts'), where('one'));
}

function run(dir: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['run.js'], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The bundle folder of the install at `dir`: the one whose pointer names its entry. */
function cacheOf(dir: string): { folder: string; build: string } | undefined {
  const cache = path.join(REPO, 'node_modules/.cache/packgate');
  for (const name of fs.existsSync(cache) ? fs.readdirSync(cache) : []) {
    const pointer = path.join(cache, name, 'current.json');
    if (!fs.existsSync(pointer)) continue;
    const { source, build } = JSON.parse(fs.readFileSync(pointer, 'utf8'));
    if (source === path.join(dir, 'entry.ts')) return { folder: path.join(cache, name), build };
  }
  return undefined;
}

test('the entry runs from a bundle that is kept until a source changes, and knows where its sources are', async ({}, testInfo) => {
  const dir = testInfo.outputPath('install');
  install(dir);

  const first = run(dir);
  expect(first.stderr).toBe('');
  expect(JSON.parse(first.stdout)).toEqual({
    dir: path.join(dir, 'lib'),
    url: `file://${path.join(dir, 'lib/where.ts')}`,
    value: 'one',
  });
  const built = cacheOf(dir);
  expect(built, 'a bundle is kept for the install').toBeDefined();
  expect(fs.existsSync(path.join(built!.folder, built!.build, 'main.mjs'))).toBe(true);

  expect(JSON.parse(run(dir).stdout).value).toBe('one');
  expect(cacheOf(dir)!.build, 'unchanged sources: the same bundle').toBe(built!.build);

  fs.writeFileSync(path.join(dir, 'lib/where.ts'), where('two'));
  expect(JSON.parse(run(dir).stdout).value).toBe('two');
  expect(cacheOf(dir)!.build, 'a changed source: a new bundle').not.toBe(built!.build);
});

test("a failure's stack trace names the TypeScript source and line, not the bundle", async ({}, testInfo) => {
  const dir = testInfo.outputPath('install');
  install(dir);
  const result = run(dir, { THROW: '1' });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('thrown from the entry');
  expect(result.stderr).toContain(`${path.join(dir, 'entry.ts')}:2`);
});

test('a source esbuild cannot build runs through tsx, which names the problem', async ({}, testInfo) => {
  const dir = testInfo.outputPath('install');
  install(dir);
  fs.writeFileSync(path.join(dir, 'lib/where.ts'), 'export const where = {;\n');
  const result = run(dir);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain(path.join(dir, 'lib/where.ts'));
  expect(cacheOf(dir), 'no bundle kept').toBeUndefined();
});

test('the bundles of an install that is gone are removed at the next build', async ({}, testInfo) => {
  const gone = testInfo.outputPath('gone');
  const kept = testInfo.outputPath('kept');
  install(gone);
  install(kept);
  run(gone);
  const orphan = cacheOf(gone);
  expect(orphan).toBeDefined();
  fs.rmSync(gone, { recursive: true });

  run(kept);
  expect(fs.existsSync(orphan!.folder)).toBe(false);
  expect(cacheOf(kept)).toBeDefined();
});
