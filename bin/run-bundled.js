// Runs one of packgate's own TypeScript entry points (the CLI, the reference stack) from an esbuild
// bundle of it, rebuilt when one of its sources changed. Through tsx, every module the entry imports
// is a round trip to Node 20's off-thread loader: 0.4 s of the stack's 1.3 s start, on the critical
// path of every gate (bench/RESULTS.md). Without esbuild, or if the bundle cannot be built or kept
// (a syntax error, a read-only install), the entry runs through tsx, which then reports any error.
//
// Bundles are kept by content, so copies of the project with the same sources share one: packgate's
// own tests and benchmarks run hundreds of fresh copies that link one node_modules.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const INSTALL_ROOT = path.resolve(import.meta.dirname, '..');
// The real path: a copy of the project may link node_modules from elsewhere.
const CACHE = path.join(fs.realpathSync(path.join(INSTALL_ROOT, 'node_modules')), '.cache', 'packgate');
// A bundle built by another version of this file is built again: how it builds may have changed.
const LAUNCHER = hash(fs.readFileSync(import.meta.filename));
// Where a bundled module finds its install's root (see `ownLocation`).
const ROOT_KEY = 'packgate.installRoot';
// A build no install took up for this long is removed after a new build: no process still loads chunks from it.
const KEEP_OLD_BUILDS_MS = 24 * 60 * 60 * 1000;

/**
 * Imports `entry` (a path relative to packgate's install root) from its bundle.
 * @param {string} entry
 */
export async function runBundled(entry) {
  const bundle = await freshBundle(entry).catch(error => {
    // Silent by design (tsx then reports a source's own error), but a fallback on every run costs
    // 0.3 s a command and once went unseen for a day: PACKGATE_DEBUG=bundle says why.
    if (/\bbundle\b/.test(process.env.PACKGATE_DEBUG ?? ''))
      process.stderr.write(`packgate: ${entry} runs through tsx, not a bundle: ${error?.message ?? error}\n`);
    return undefined;
  });
  if (bundle) {
    /** @type {Record<string, unknown>} */ (globalThis)[Symbol.for(ROOT_KEY)] = INSTALL_ROOT;
    // Stack traces name the TypeScript sources, as they do under tsx.
    process.setSourceMapsEnabled(true);
    return import(pathToFileURL(bundle).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(path.join(INSTALL_ROOT, entry)).href);
}

/**
 * The bundle of `entry` for this install: the one it used last while no source changed (size and
 * mtime), else one built from the same sources (by another copy, or before a checkout touched
 * them), else a new one.
 * @param {string} entry
 * @returns {Promise<string>}
 */
async function freshBundle(entry) {
  const dir = path.join(CACHE, entry.replace(/\.ts$/, '').replace(/\W+/g, '-'));
  const pointerFile = path.join(dir, 'installs', `${hash(INSTALL_ROOT)}.json`);
  const pointer = readJson(pointerFile);
  if (
    pointer?.launcher === LAUNCHER &&
    pointer.inputs.every(([file, size, mtimeMs]) => sameStat(file, size, mtimeMs)) &&
    fs.existsSync(mainOf(dir, pointer.build))
  )
    return mainOf(dir, pointer.build);

  const build = sameSourcesBuild(dir) ?? (await buildBundle(entry, dir));
  // Taken up now: kept for another day (removeStale).
  const now = new Date();
  fs.utimesSync(path.join(dir, 'builds', build.id), now, now);
  writeJson(pointerFile, {
    root: INSTALL_ROOT,
    launcher: LAUNCHER,
    build: build.id,
    inputs: build.inputs.map(file => {
      const stat = fs.statSync(path.join(INSTALL_ROOT, file));
      return [file, stat.size, stat.mtimeMs];
    }),
  });
  return mainOf(dir, build.id);
}

/**
 * A build whose sources this install has, byte for byte: the newest few are compared.
 * @param {string} dir
 * @returns {{ id: string, inputs: string[] } | undefined}
 */
function sameSourcesBuild(dir) {
  const builds = path.join(dir, 'builds');
  if (!fs.existsSync(builds)) return undefined;
  const newest = fs
    .readdirSync(builds)
    .filter(id => !id.startsWith('.'))
    .map(id => ({ id, mtimeMs: fs.statSync(path.join(builds, id), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(0, 3);
  for (const { id } of newest) {
    const inputs = readJson(path.join(builds, id, 'inputs.json'));
    // A build that read a source this install lacks (moved or removed since) is not its build.
    if (inputs && fs.existsSync(mainOf(dir, id)) && inputs.every(hasSource) && contentId(inputs) === id)
      return { id, inputs };
  }
  return undefined;
}

/**
 * Builds `entry` and keeps it under the id of its sources' contents.
 * @param {string} entry
 * @param {string} dir
 * @returns {Promise<{ id: string, inputs: string[] }>}
 */
async function buildBundle(entry, dir) {
  const { build } = await import('esbuild');
  const temp = path.join(dir, 'builds', `.${process.pid}-${Date.now().toString(36)}`);
  const result = await build({
    entryPoints: { main: path.join(INSTALL_ROOT, entry) },
    absWorkingDir: INSTALL_ROOT,
    outdir: temp,
    bundle: true,
    splitting: true,
    format: 'esm',
    // Never taken for CommonJS: no package.json in node_modules/.cache says the files are modules.
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    banner: { js: OWN_LOCATION_HELPERS },
    plugins: [ownLocation],
  });
  const inputs = Object.keys(result.metafile.inputs);
  const id = contentId(inputs);
  fs.writeFileSync(path.join(temp, 'inputs.json'), JSON.stringify(inputs));
  try {
    fs.renameSync(temp, path.join(dir, 'builds', id));
  } catch {
    // Another process kept the same build first.
    fs.rmSync(temp, { recursive: true, force: true });
  }
  removeStale(dir, id);
  return { id, inputs };
}

const OWN_LOCATION_HELPERS = [
  "import { join as __packgateJoin } from 'node:path';",
  "import { pathToFileURL as __packgateFileUrl } from 'node:url';",
  `const __packgateRoot = globalThis[Symbol.for(${JSON.stringify(ROOT_KEY)})];`,
].join('\n');

/**
 * A module's own location, where its source asks for it (`import.meta.url`, `import.meta.dirname`):
 * the source file's in the install that runs the bundle, not the bundle's, so files found beside the
 * sources are found from the bundle too.
 * @type {import('esbuild').Plugin}
 */
const ownLocation = {
  name: 'packgate-own-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, args => {
      const text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.')) return undefined;
      const file = `__packgateJoin(__packgateRoot, ${JSON.stringify(path.relative(INSTALL_ROOT, args.path))})`;
      const contents = text
        .replaceAll(
          'import.meta.dirname',
          `__packgateJoin(__packgateRoot, ${JSON.stringify(path.relative(INSTALL_ROOT, path.dirname(args.path)))})`,
        )
        .replaceAll('import.meta.filename', file)
        .replaceAll('import.meta.url', `__packgateFileUrl(${file}).href`);
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * What a build is kept under: this file's version and the sources' paths and contents.
 * @param {string[]} inputs paths relative to the install root
 */
function contentId(inputs) {
  const digest = crypto.createHash('sha256').update(LAUNCHER);
  for (const file of inputs) digest.update(`\0${file}\0`).update(fs.readFileSync(path.join(INSTALL_ROOT, file)));
  return digest.digest('hex').slice(0, 16);
}

/**
 * Builds no install took up for a day, and the pointers of installs that are gone (copies of the
 * project that tests and benchmarks made and removed).
 * @param {string} dir
 * @param {string} keep
 */
function removeStale(dir, keep) {
  const builds = path.join(dir, 'builds');
  for (const id of fs.readdirSync(builds)) {
    const build = path.join(builds, id);
    // Dot folders too: a build still being written is young, an old one was left by a process that died.
    try {
      if (id !== keep && Date.now() - fs.statSync(build).mtimeMs > KEEP_OLD_BUILDS_MS)
        fs.rmSync(build, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
  const installs = path.join(dir, 'installs');
  for (const name of fs.existsSync(installs) ? fs.readdirSync(installs) : []) {
    const root = readJson(path.join(installs, name))?.root;
    if (root && !fs.existsSync(root)) fs.rmSync(path.join(installs, name), { force: true });
  }
}

/** @param {string} file relative to the install root */
function hasSource(file) {
  return fs.statSync(path.join(INSTALL_ROOT, file), { throwIfNoEntry: false })?.isFile() ?? false;
}

/** @param {string} dir @param {string} id */
function mainOf(dir, id) {
  return path.join(dir, 'builds', id, 'main.mjs');
}

/** @param {string} file relative to the install root @param {number} size @param {number} mtimeMs */
function sameStat(file, size, mtimeMs) {
  try {
    const stat = fs.statSync(path.join(INSTALL_ROOT, file));
    return stat.size === size && stat.mtimeMs === mtimeMs;
  } catch {
    return false;
  }
}

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Written whole and renamed: a process starting meanwhile reads the old file or the new one. @param {string} file @param {unknown} value */
function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}`;
  fs.writeFileSync(temp, JSON.stringify(value));
  fs.renameSync(temp, file);
}

/** @param {string | Buffer} content */
function hash(content) {
  return crypto.createHash('sha256').update(content).digest('hex').slice(0, 12);
}
