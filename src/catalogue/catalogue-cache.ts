import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { YamlSource } from '../diagnostics/yaml-source.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';
import type { Catalogue } from './load.ts';
import { MANIFEST_FILE } from './root.ts';

/**
 * A validated catalogue kept by the content of everything it was validated from, so that a run of an
 * unchanged catalogue starts without yaml, zod or the checks (a third of a second of the runner's
 * start, bench/RESULTS.md). It is never stale: the key is every byte the loader reads (packgate.yaml,
 * the packs', environments' and seeds' folders whole, the faults file), the code that judges them
 * (the loader's folders of src/) and the versions of the libraries it parses and validates with. A
 * catalogue with errors is never kept; one with warnings is kept with them.
 */
export const CATALOGUE_CACHE_FILE = '.packgate/catalogue.json';

/** The folders of src/ whose code decides what a catalogue validates to (a test holds load.ts to them). */
export const LOADER_FOLDERS = ['catalogue', 'schema', 'diagnostics', 'fs'] as const;
const LIBRARIES = ['zod', 'yaml'];
const FORMAT = 1;
/** A catalogue spread over more entries than this (`packs_dir: .`?) is loaded every time, not hashed. */
const MAX_INPUT_ENTRIES = 5000;

type Kept = { file: string; value: unknown };
type Entry = {
  format: typeof FORMAT;
  key: string;
  manifest: Kept;
  packs: Array<[string, Kept & { dir: string; tests?: Kept }]>;
  environments: Array<[string, Kept]>;
  seeds: Array<[string, Kept]>;
  faults: Array<[string, Kept & { index: number }]>;
  diagnostics: Diagnostic[];
};
export type LoadResult = { catalogue: Catalogue | undefined; diagnostics: Diagnostic[] };

/**
 * The catalogue of `root` as the loader would validate it now: the kept one when nothing it came
 * from has changed, else loaded (yaml and zod imported only then) and kept for the next run.
 */
export async function loadCatalogueKept(root: string): Promise<LoadResult> {
  const kept = readKept(root);
  if (kept) return kept;
  const { loadCatalogue } = await import('./load.ts');
  const loaded = loadCatalogue(root);
  keepCatalogue(root, loaded);
  return loaded;
}

/** The kept catalogue of `root`, when its key still matches what is on disk; else undefined. */
export function readKept(root: string): LoadResult | undefined {
  // Whatever the file holds (an older format, a hand edit, half a write), it is a miss, never an error.
  try {
    return restore(root, JSON.parse(fs.readFileSync(path.join(root, CATALOGUE_CACHE_FILE), 'utf8')) as Entry);
  } catch {
    return undefined;
  }
}

function restore(root: string, entry: Entry): LoadResult | undefined {
  if (entry?.format !== FORMAT || typeof entry.key !== 'string') return undefined;
  const inputs = hashInputs(root, entry.manifest.value);
  if (!inputs || inputs.key !== entry.key) return undefined;
  const sources = new Map<string, YamlSource>();
  // The values were validated when kept: `never` lets each take its place in the Catalogue's type.
  const located = (kept: Kept): { value: never; source: YamlSource } => {
    const text = inputs.texts.get(kept.file);
    if (text === undefined) throw new Error(`${kept.file} is not among the catalogue's inputs`);
    let source = sources.get(kept.file);
    if (!source) sources.set(kept.file, (source = new YamlSource(kept.file, text)));
    return { value: kept.value as never, source };
  };
  const catalogue: Catalogue = {
    root,
    manifest: located(entry.manifest),
    packs: new Map(
      entry.packs.map(([id, p]) => [
        id,
        { ...located(p), dir: p.dir, ...(p.tests ? { tests: located(p.tests) } : {}) },
      ]),
    ),
    environments: new Map(entry.environments.map(([name, e]) => [name, located(e)])),
    seeds: new Map(entry.seeds.map(([name, s]) => [name, located(s)])),
    faults: new Map(entry.faults.map(([id, f]) => [id, { ...located(f), index: f.index }])),
  };
  return { catalogue, diagnostics: entry.diagnostics };
}

/**
 * Keeps a catalogue that loaded without errors, under the key of what it was loaded from. Best
 * effort: a folder that cannot be written, or values JSON would not carry whole, keep nothing.
 */
export function keepCatalogue(root: string, { catalogue, diagnostics }: LoadResult): void {
  if (!catalogue || hasErrors(diagnostics)) return;
  const inputs = hashInputs(root, catalogue.manifest.value);
  if (!inputs) return;
  const kept = (l: { value: unknown; source: YamlSource }): Kept => ({ file: l.source.file, value: l.value });
  const entry: Entry = {
    format: FORMAT,
    key: inputs.key,
    manifest: kept(catalogue.manifest),
    packs: [...catalogue.packs].map(([id, p]) => [
      id,
      { ...kept(p), dir: p.dir, ...(p.tests ? { tests: kept(p.tests) } : {}) },
    ]),
    environments: [...catalogue.environments].map(([name, e]) => [name, kept(e)]),
    seeds: [...catalogue.seeds].map(([name, s]) => [name, kept(s)]),
    faults: [...catalogue.faults].map(([id, f]) => [id, { ...kept(f), index: f.index }]),
    diagnostics,
  };
  try {
    const text = JSON.stringify(entry);
    // A value JSON changes on the way (undefined, a Date, a Map) would come back different.
    if (JSON.stringify(entry, markChanged) !== text) return;
    writeFileAtomic(path.join(root, CATALOGUE_CACHE_FILE), text);
  } catch {
    // Kept or not, this run has its catalogue; the next one loads it again.
  }
}

/**
 * Marks what JSON.stringify would drop or change. It looks at the holder's own value: a Date reaches
 * a replacer already turned into a string by its toJSON.
 */
function markChanged(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const own = this[key];
  const changed =
    own === undefined || own instanceof Date || own instanceof Map || own instanceof Set || own instanceof RegExp;
  return changed ? `\u0000changed by JSON: ${Object.prototype.toString.call(own)}` : value;
}

/**
 * The key of everything the loader reads for this manifest's catalogue, and the texts it hashed (a
 * kept catalogue's sources, for locating problems later). Undefined when there is no telling.
 */
function hashInputs(root: string, manifest: unknown): { key: string; texts: Map<string, string> } | undefined {
  const m = manifest as { packs_dir?: unknown; environments_dir?: unknown; seeds_dir?: unknown; faults?: unknown };
  const code = loaderCode();
  if (!code) return undefined;
  const inputs = [MANIFEST_FILE, m.packs_dir, m.environments_dir, m.seeds_dir, m.faults];
  if (!inputs.every(i => i === undefined || typeof i === 'string')) return undefined;
  const hash = crypto.createHash('sha256').update(`${FORMAT}\0${code}\0`);
  const texts = new Map<string, string>();
  let entries = 0;
  const visit = (rel: string): boolean => {
    if (++entries > MAX_INPUT_ENTRIES) return false;
    const full = path.join(root, rel);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      hash.update(`missing ${rel}\0`);
      return true;
    }
    if (stat.isDirectory()) {
      hash.update(`dir ${rel}\0`);
      for (const name of fs.readdirSync(full).sort()) if (!visit(`${rel}/${name}`)) return false;
      return true;
    }
    const bytes = fs.readFileSync(full);
    hash.update(`file ${rel} ${bytes.length}\0`).update(bytes);
    texts.set(rel, bytes.toString('utf8'));
    return true;
  };
  for (const input of new Set(inputs)) if (input !== undefined && !visit(path.posix.normalize(input))) return undefined;
  return { key: hash.digest('hex'), texts };
}

let codeKey: string | null | undefined;

/**
 * The hash of the loader's code and libraries, once per process; null where the sources are not
 * beside this module (a bundle), which keeps nothing.
 */
function loaderCode(): string | null {
  if (codeKey !== undefined) return codeKey;
  const src = path.join(import.meta.dirname, '..');
  try {
    if (!fs.existsSync(path.join(src, 'catalogue', 'load.ts'))) return (codeKey = null);
    const hash = crypto.createHash('sha256');
    for (const folder of LOADER_FOLDERS)
      for (const name of fs.readdirSync(path.join(src, folder)).sort())
        hash.update(`${folder}/${name}\0`).update(fs.readFileSync(path.join(src, folder, name)));
    const require = createRequire(import.meta.url);
    for (const library of LIBRARIES) {
      const manifest = JSON.parse(fs.readFileSync(require.resolve(`${library}/package.json`), 'utf8'));
      hash.update(`${library}@${manifest.version}\0`);
    }
    return (codeKey = hash.digest('hex'));
  } catch {
    return (codeKey = null);
  }
}
