import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  CATALOGUE_CACHE_FILE,
  keepCatalogue,
  LOADER_FOLDERS,
  loadCatalogueKept,
  readKept,
  type LoadResult,
} from '../../src/catalogue/catalogue-cache.ts';
import { loadCatalogue, type Catalogue } from '../../src/catalogue/load.ts';
import { REPO } from '../helpers/temp-project.ts';

/** What the catalogue is read from: this project's, copied. */
function copyCatalogue(dir: string): string {
  for (const entry of ['packgate.yaml', 'packs', 'environments', 'seeds', 'stack/faults.yaml'])
    fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
  return dir;
}

/** A catalogue as plain data: every value, folder and source file, for comparing two loads. */
function shape(catalogue: Catalogue | undefined) {
  if (!catalogue) return undefined;
  const located = (l: { value: unknown; source: { file: string } }) => ({ value: l.value, file: l.source.file });
  return {
    manifest: located(catalogue.manifest),
    packs: [...catalogue.packs].map(([id, p]) => [
      id,
      { ...located(p), dir: p.dir, tests: p.tests && located(p.tests) },
    ]),
    environments: [...catalogue.environments].map(([name, e]) => [name, located(e)]),
    seeds: [...catalogue.seeds].map(([name, s]) => [name, located(s)]),
    faults: [...catalogue.faults].map(([id, f]) => [id, { ...located(f), index: f.index }]),
  };
}

const errorsOf = (result: LoadResult) => result.diagnostics.filter(d => d.severity === 'error');

test('an unchanged catalogue comes back from the cache as the loader validates it, its sources locating problems', async ({}, testInfo) => {
  const root = copyCatalogue(testInfo.outputPath('project'));
  const first = await loadCatalogueKept(root);
  expect(errorsOf(first)).toEqual([]);
  expect(fs.existsSync(path.join(root, CATALOGUE_CACHE_FILE))).toBe(true);

  const kept = readKept(root);
  expect(kept).toBeDefined();
  const fresh = loadCatalogue(root);
  expect(shape(kept!.catalogue)).toEqual(shape(fresh.catalogue));
  expect(kept!.diagnostics).toEqual(fresh.diagnostics);
  expect(kept!.catalogue!.root).toBe(root);
  // A problem found later (a secret's env var, a persona) is still reported at its file:line:col.
  const pack = (c: LoadResult) => c.catalogue!.packs.get('auth-session')!;
  expect(pack(kept!).source.locate(['owner'])).toEqual(pack(fresh).source.locate(['owner']));
  expect(pack(kept!).source.locate(['owner']).line).toBeGreaterThan(1);
});

const changes: Array<[string, (root: string) => void]> = [
  ['packgate.yaml', root => fs.appendFileSync(path.join(root, 'packgate.yaml'), '# changed\n')],
  ['a pack.yaml', root => fs.appendFileSync(path.join(root, 'packs/auth-session/pack.yaml'), '# changed\n')],
  ['a spec', root => fs.appendFileSync(path.join(root, 'packs/auth-session/api.spec.ts'), '// changed\n')],
  ['a new file beside the specs', root => fs.writeFileSync(path.join(root, 'packs/auth-session/helper.ts'), '')],
  ['a new, empty folder of packs', root => fs.mkdirSync(path.join(root, 'packs/newly-made'))],
  ['a removed test manifest', root => fs.rmSync(path.join(root, 'packs/terminal/tests.yaml'))],
  ['an environment', root => fs.appendFileSync(path.join(root, 'environments/local.yaml'), '# changed\n')],
  ['a seed set', root => fs.appendFileSync(path.join(root, 'seeds/core.yaml'), '# changed\n')],
  ['the faults file', root => fs.appendFileSync(path.join(root, 'stack/faults.yaml'), '# changed\n')],
];

for (const [what, change] of changes) {
  test(`a change to ${what} is never served from the cache`, async ({}, testInfo) => {
    const root = copyCatalogue(testInfo.outputPath('project'));
    await loadCatalogueKept(root);
    expect(readKept(root)).toBeDefined();
    change(root);
    expect(readKept(root)).toBeUndefined();
    // Loaded again, it is what the loader says now, and kept as that.
    const again = await loadCatalogueKept(root);
    expect(shape(again.catalogue)).toEqual(shape(loadCatalogue(root).catalogue));
    if (!errorsOf(again).length) expect(readKept(root)).toBeDefined();
  });
}

test('a catalogue with errors is never kept, nor does an earlier kept one hide them', async ({}, testInfo) => {
  const root = copyCatalogue(testInfo.outputPath('project'));
  const file = path.join(root, 'packs/auth-session/pack.yaml');
  const good = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, good.replace(/^owner: .*$/m, 'owner: [not, a, lane]'));
  const broken = await loadCatalogueKept(root);
  expect(errorsOf(broken).map(d => `${d.file}:${d.line} ${d.path}`)).toEqual([
    `packs/auth-session/pack.yaml:${good.split('\n').findIndex(l => l.startsWith('owner:')) + 1} owner`,
  ]);
  expect(fs.existsSync(path.join(root, CATALOGUE_CACHE_FILE))).toBe(false);

  fs.writeFileSync(file, good);
  await loadCatalogueKept(root);
  expect(readKept(root)).toBeDefined();
  fs.writeFileSync(file, good.replace(/^owner: .*$/m, 'owner: [not, a, lane]'));
  expect(errorsOf(await loadCatalogueKept(root))).toHaveLength(1);
});

test('a cache file that is not one is passed over, and replaced by the next load', async ({}, testInfo) => {
  const root = copyCatalogue(testInfo.outputPath('project'));
  const cache = path.join(root, CATALOGUE_CACHE_FILE);
  fs.mkdirSync(path.dirname(cache), { recursive: true });
  for (const text of [
    '{ not json',
    'null',
    '{"format":1}',
    '{"format":1,"key":"x"}',
    '{"format":1,"key":"x","manifest":{"file":"packgate.yaml","value":{}}}',
  ]) {
    fs.writeFileSync(cache, text);
    expect(readKept(root)).toBeUndefined();
  }
  await loadCatalogueKept(root);
  expect(readKept(root)).toBeDefined();
  // Its key still right, its body not: a miss too.
  const kept = JSON.parse(fs.readFileSync(cache, 'utf8'));
  fs.writeFileSync(cache, JSON.stringify({ ...kept, packs: 'not a list' }));
  expect(readKept(root)).toBeUndefined();
});

test('values JSON would not carry whole (a Date, undefined, a Map) are not kept', ({}, testInfo) => {
  const root = copyCatalogue(testInfo.outputPath('project'));
  const fresh = loadCatalogue(root);
  const packs = fresh.catalogue!.packs;
  const pack = packs.get('auth-session')!;
  for (const odd of [new Date(0), undefined, new Map([['a', 1]])]) {
    const value = { ...pack.value, extra: odd } as typeof pack.value;
    keepCatalogue(root, {
      ...fresh,
      catalogue: { ...fresh.catalogue!, packs: new Map([...packs, ['auth-session', { ...pack, value }]]) },
    });
    expect(fs.existsSync(path.join(root, CATALOGUE_CACHE_FILE))).toBe(false);
  }
  keepCatalogue(root, fresh);
  expect(readKept(root)).toBeDefined();
});

test("the cache's key covers the loader's code: load.ts imports only from its folders, zod and yaml", () => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(
      /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
    )) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      else if (!specifier.startsWith('node:')) packages.add(specifier);
    }
  };
  visit(path.join(REPO, 'src/catalogue/load.ts'));
  const folders = new Set([...seen].map(file => path.relative(path.join(REPO, 'src'), file).split(path.sep)[0]));
  expect([...folders].sort()).toEqual([...LOADER_FOLDERS].sort());
  // yaml-source.ts requires yaml where it parses; the key holds both libraries' versions.
  expect([...packages].filter(name => name !== 'zod' && name !== 'yaml')).toEqual([]);
});
