import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type TestInfo } from '@playwright/test';
import { REPO, TempProject } from '../helpers/temp-project.ts';

/**
 * bin/run-bundled.js, which runs the CLI and the reference stack from an esbuild bundle: run for real
 * in folders laid out as packgate's install is (bin/, a linked node_modules), on a small entry. Each
 * test's entry has a name of its own, so its bundles have a folder of their own in the shared cache.
 */
const ENTRY = `import { where } from './lib/where.ts';
if (process.env.THROW) throw new Error('thrown from the entry');
process.stdout.write(JSON.stringify(where));
`;
const where = (value: string) =>
  `export const where = { dir: import.meta.dirname, url: import.meta.url, value: ${JSON.stringify(value)} as string };\n`;

class Install {
  constructor(
    readonly dir: string,
    readonly entry: string,
    options: { withoutEsbuild?: boolean } = {},
  ) {
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'lib'));
    fs.copyFileSync(path.join(REPO, 'bin/run-bundled.js'), path.join(dir, 'bin/run-bundled.js'));
    const modules = path.join(REPO, 'node_modules');
    if (options.withoutEsbuild) {
      // Every package but esbuild (and so no tsx either), and the same cache.
      fs.mkdirSync(path.join(dir, 'node_modules'));
      for (const name of fs.readdirSync(modules).filter(name => !/^@?esbuild$/.test(name)))
        fs.symlinkSync(path.join(modules, name), path.join(dir, 'node_modules', name));
    } else fs.symlinkSync(modules, path.join(dir, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    fs.writeFileSync(
      path.join(dir, 'run.js'),
      `import { runBundled } from './bin/run-bundled.js';\nawait runBundled('${entry}.ts');\n`,
    );
    fs.writeFileSync(path.join(dir, `${entry}.ts`), ENTRY);
    fs.writeFileSync(path.join(dir, 'lib/where.ts'), where('one'));
  }

  run(env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, ['run.js'], {
      cwd: this.dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** The build this install runs its entry from, as its pointer in the cache says. */
  build(): string | undefined {
    const installs = path.join(cacheOf(this.entry), 'installs');
    for (const name of fs.existsSync(installs) ? fs.readdirSync(installs) : []) {
      const pointer = JSON.parse(fs.readFileSync(path.join(installs, name), 'utf8'));
      if (pointer.root === this.dir) return pointer.build;
    }
    return undefined;
  }
}

const cacheOf = (entry: string) => path.join(REPO, 'node_modules/.cache/packgate', entry);
const builds = (entry: string) => fs.readdirSync(path.join(cacheOf(entry), 'builds')).filter(id => !id.startsWith('.'));
/** An entry name no other test (or earlier run) uses. */
const entryOf = (testInfo: TestInfo) => `bundled-${testInfo.testId}-${process.pid}`;

/**
 * A folder for the test's installs outside this project: from inside it, Node would find packages
 * (esbuild) in the project's own node_modules above it.
 */
let outside: string;
test.beforeEach(() => {
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-bundled-'));
});
test.afterEach(async ({}, testInfo) => {
  fs.rmSync(outside, { recursive: true, force: true });
  fs.rmSync(cacheOf(entryOf(testInfo)), { recursive: true, force: true });
});

test('the entry runs from a bundle that is kept until a source changes, and knows where its sources are', async ({}, testInfo) => {
  const install = new Install(path.join(outside, 'install'), entryOf(testInfo));

  const first = install.run();
  expect(first.stderr).toBe('');
  expect(JSON.parse(first.stdout)).toEqual({
    dir: path.join(install.dir, 'lib'),
    url: `file://${path.join(install.dir, 'lib/where.ts')}`,
    value: 'one',
  });
  const built = install.build();
  expect(built, 'a bundle is kept for the install').toBeDefined();
  expect(fs.existsSync(path.join(cacheOf(install.entry), 'builds', built!, 'main.mjs'))).toBe(true);

  expect(JSON.parse(install.run().stdout).value).toBe('one');
  expect(install.build(), 'unchanged sources: the same bundle').toBe(built);

  fs.writeFileSync(path.join(install.dir, 'lib/where.ts'), where('two'));
  expect(JSON.parse(install.run().stdout).value).toBe('two');
  expect(install.build(), 'a changed source: a new bundle').not.toBe(built);
});

test('a copy with the same sources runs the bundle another copy built, without building', async ({}, testInfo) => {
  const first = new Install(path.join(outside, 'first'), entryOf(testInfo));
  expect(first.run().stderr).toBe('');
  expect(builds(first.entry)).toEqual([first.build()]);

  // The copy could not build if it tried: its node_modules has no esbuild.
  const copy = new Install(path.join(outside, 'copy'), entryOf(testInfo), { withoutEsbuild: true });
  const result = copy.run();
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout).dir, "the copy's own sources' folder").toBe(path.join(copy.dir, 'lib'));
  expect(copy.build()).toBe(first.build());
});

test("a failure's stack trace names the TypeScript source and line, not the bundle", async ({}, testInfo) => {
  const install = new Install(path.join(outside, 'install'), entryOf(testInfo));
  const result = install.run({ THROW: '1' });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('thrown from the entry');
  expect(result.stderr).toContain(`${path.join(install.dir, `${install.entry}.ts`)}:2`);
});

test('a source esbuild cannot build runs through tsx, which names the problem', async ({}, testInfo) => {
  const install = new Install(path.join(outside, 'install'), entryOf(testInfo));
  fs.writeFileSync(path.join(install.dir, 'lib/where.ts'), 'export const where = {;\n');
  const result = install.run();
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain(path.join(install.dir, 'lib/where.ts'));
  expect(install.build(), 'no bundle kept').toBeUndefined();
  // Why it ran through tsx, for whoever asks.
  const debug = install.run({ PACKGATE_DEBUG: 'bundle' });
  expect(debug.stderr).toContain(`packgate: ${install.entry}.ts runs through tsx, not a bundle: `);
});

test('the pointer of an install that is gone is removed at the next build', async ({}, testInfo) => {
  const gone = new Install(path.join(outside, 'gone'), entryOf(testInfo));
  const kept = new Install(path.join(outside, 'kept'), entryOf(testInfo));
  gone.run();
  expect(gone.build()).toBeDefined();
  fs.rmSync(gone.dir, { recursive: true });

  fs.writeFileSync(path.join(kept.dir, 'lib/where.ts'), where('built again'));
  kept.run();
  expect(gone.build()).toBeUndefined();
  expect(kept.build()).toBeDefined();
});

test('a kept build of a source this install no longer has is passed over: the install builds its own', async ({}, testInfo) => {
  const install = new Install(path.join(outside, 'install'), entryOf(testInfo));
  install.run();
  const before = install.build();
  expect(before).toBeDefined();

  // The source moves (as src/watch/shell-quote.ts once moved to src/text): the kept build read a file that is gone.
  fs.mkdirSync(path.join(install.dir, 'moved'));
  fs.renameSync(path.join(install.dir, 'lib/where.ts'), path.join(install.dir, 'moved/where.ts'));
  const entry = path.join(install.dir, `${install.entry}.ts`);
  fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('./lib/where.ts', './moved/where.ts'));

  const result = install.run();
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout).dir).toBe(path.join(install.dir, 'moved'));
  const after = install.build();
  expect(after, 'run from a bundle of its own, not through tsx').toBeDefined();
  expect(after).not.toBe(before);
  expect(builds(install.entry)).toContain(after);
});

test("packgate's own CLI, in a fresh copy of the project, runs from a bundle of its sources", async ({}, testInfo) => {
  // The cache is the one every copy shares (packgate's tests, a user's checkouts of other commits):
  // a kept build it cannot use must never send the CLI through tsx, 0.3 s more on every command.
  const project = await TempProject.create(testInfo);
  const installs = path.join(cacheOf('scripts-cli'), 'installs');
  const pointerOf = (root: string) =>
    fs
      .readdirSync(installs)
      .map(name => ({
        file: path.join(installs, name),
        ...JSON.parse(fs.readFileSync(path.join(installs, name), 'utf8')),
      }))
      .find(each => each.root === root);
  // An earlier run of this test left a pointer for the same folder.
  const earlier = pointerOf(project.dir);
  if (earlier) fs.rmSync(earlier.file);

  const result = await project.packgate(['--version']);
  expect(result.exitCode).toBe(0);
  const pointer = pointerOf(project.dir);
  expect(pointer, 'a pointer to the bundle this copy runs').toBeDefined();
  expect(fs.existsSync(path.join(cacheOf('scripts-cli'), 'builds', pointer.build, 'main.mjs'))).toBe(true);
});
