// Runs one of packgate's own TypeScript entry points (the CLI, the reference stack) from an esbuild
// bundle of it, rebuilt when one of its sources changed. Through tsx, every module the entry imports
// is a round trip to Node 20's off-thread loader: 0.4 s of the stack's 1.3 s start, on the critical
// path of every gate (bench/RESULTS.md). Without esbuild, or if the bundle cannot be built or kept
// (a syntax error, a read-only install), the entry runs through tsx, which then reports any error.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const INSTALL_ROOT = path.resolve(import.meta.dirname, '..');
// The real path: the bundle's source maps name the sources relative to it, and a project copy may
// link node_modules from elsewhere.
const CACHE = path.join(fs.realpathSync(path.join(INSTALL_ROOT, 'node_modules')), '.cache', 'packgate');
// A bundle built by another version of this file is built again: how it builds may have changed.
const LAUNCHER = hash(fs.readFileSync(import.meta.filename, 'utf8'));
// Builds no process can still be loading chunks from; older ones are removed after a new build.
const KEEP_OLD_BUILDS_MS = 24 * 60 * 60 * 1000;

/**
 * Imports `entry` (a path relative to packgate's install root) from its bundle.
 * @param {string} entry
 */
export async function runBundled(entry) {
  const source = path.join(INSTALL_ROOT, entry);
  const bundle = await freshBundle(entry, source).catch(() => undefined);
  if (bundle) {
    // Stack traces name the TypeScript sources, as they do under tsx.
    process.setSourceMapsEnabled(true);
    return import(pathToFileURL(bundle).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(source).href);
}

/**
 * The bundle of `source`, built again when any file it was built from changed (size or mtime).
 * @param {string} entry
 * @param {string} source
 * @returns {Promise<string>}
 */
async function freshBundle(entry, source) {
  const dir = path.join(CACHE, `${entry.replace(/\.ts$/, '').replace(/\W+/g, '-')}-${hash(source)}`);
  const pointer = path.join(dir, 'current.json');
  const current = readPointer(pointer);
  if (
    current?.launcher === LAUNCHER &&
    current.inputs.every(([file, size, mtimeMs]) => sameFile(file, size, mtimeMs))
  ) {
    const main = path.join(dir, current.build, 'main.mjs');
    if (fs.existsSync(main)) return main;
  }

  const { build } = await import('esbuild');
  const name = `build-${process.pid}-${Date.now().toString(36)}`;
  const result = await build({
    entryPoints: { main: source },
    absWorkingDir: INSTALL_ROOT,
    outdir: path.join(dir, name),
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
    plugins: [ownLocation],
  });
  const inputs = Object.keys(result.metafile.inputs).map(file => {
    const absolute = path.resolve(INSTALL_ROOT, file);
    const stat = fs.statSync(absolute);
    return [absolute, stat.size, stat.mtimeMs];
  });
  // Written whole and renamed, so a process starting meanwhile reads the old pointer or the new one.
  const temp = `${pointer}.${name}`;
  fs.writeFileSync(temp, JSON.stringify({ source, launcher: LAUNCHER, build: name, inputs }));
  fs.renameSync(temp, pointer);
  removeOldBuilds(dir, name);
  removeOrphans();
  return path.join(dir, name, 'main.mjs');
}

/**
 * A module's own location, where its source asks for it (`import.meta.url`, `import.meta.dirname`):
 * the source file's, not the bundle's, so files found beside the sources are found from the bundle too.
 * @type {import('esbuild').Plugin}
 */
const ownLocation = {
  name: 'packgate-own-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, args => {
      const text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.')) return undefined;
      const contents = text
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: 'ts' };
    });
  },
};

/** @param {string} file */
function readPointer(file) {
  try {
    return /** @type {{ source: string, launcher: string, build: string, inputs: Array<[string, number, number]> }} */ (
      JSON.parse(fs.readFileSync(file, 'utf8'))
    );
  } catch {
    return undefined;
  }
}

/** @param {string} file @param {number} size @param {number} mtimeMs */
function sameFile(file, size, mtimeMs) {
  try {
    const stat = fs.statSync(file);
    return stat.size === size && stat.mtimeMs === mtimeMs;
  } catch {
    return false;
  }
}

/** The builds of `dir` but `keep` that are old enough that no process still loads from them. @param {string} dir @param {string} keep */
function removeOldBuilds(dir, keep) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const old = path.join(dir, entry.name);
    try {
      if (Date.now() - fs.statSync(old).mtimeMs > KEEP_OLD_BUILDS_MS) fs.rmSync(old, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * The bundles of entries that are gone: copies of the project share one node_modules by a link
 * (packgate's own tests make hundreds), and each copy's bundles would stay in it otherwise.
 */
function removeOrphans() {
  for (const name of fs.readdirSync(CACHE)) {
    const dir = path.join(CACHE, name);
    const source = readPointer(path.join(dir, 'current.json'))?.source;
    if (source && !fs.existsSync(source)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {string} text */
function hash(text) {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}
