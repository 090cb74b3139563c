/**
 * Keeps the layers honest (run by `npm test`): imports flow packs -> fixtures -> core, reporters and
 * the CLI -> core, the stack -> core; the core imports none of them, and names nothing of GPUaaS.
 * Packs and fixtures reach the stack only over the network, never by importing it. Inside the core,
 * each folder imports only what scripts/src-folders.ts lets it, and no folders import each other in
 * a loop.
 */
import fs from 'node:fs';
import path from 'node:path';
import { QUEUE_READS, SRC_FOLDERS, type Wing } from './src-folders.ts';

const root = path.resolve(import.meta.dirname, '..');

/** Top-level folders each layer may import from (besides itself and node_modules). */
const ALLOWED: Record<string, string[]> = {
  src: [],
  fixtures: ['src'],
  packs: ['fixtures', 'src'],
  reporters: ['src'],
  scripts: ['src'],
  stack: ['src'],
  bench: ['src', 'test'],
  test: ['src', 'fixtures', 'reporters', 'scripts', 'stack'],
};

/** Product words that belong in packs/, environments/, seeds/ and stack/, never in the generic core. */
const PRODUCT_WORDS = /\b(gpuaas|gpu|aicloud|core42|notebooks?|jupyter|tenants?)\b/i;

const TABLE = 'scripts/src-folders.ts';

/** What each wing may import, checked on the table itself so that it cannot quietly allow a wrong way. */
const WING_MAY: Record<Wing, string> = {
  shared: 'shared folders import neither wing',
  gate: 'the gate wing never imports the queue wing',
  queue: `the queue wing reads the gate wing only through ${QUEUE_READS.join(', ')}`,
};

const problems: string[] = [];
/** src folder -> the src folders it imports, each with the first import seen: what the cycle check walks. */
const srcGraph = new Map<string, Map<string, string>>();
/** src folders missing from the table, each reported once. */
const unlisted = new Set<string>();

for (const layer of Object.keys(ALLOWED)) {
  for (const file of listTs(path.join(root, layer))) {
    const rel = path.relative(root, file);
    if (layer === 'src') checkPlacement(rel);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const specifier of importsOf(line)) {
        if (!specifier.startsWith('.')) continue;
        const resolved = path.relative(root, path.resolve(path.dirname(file), specifier));
        const target = resolved.split(path.sep)[0];
        if (layer === 'src' && target === 'src') checkSrcImport(rel, index + 1, specifier, resolved);
        if (target === layer || !(target in ALLOWED)) continue;
        if (!ALLOWED[layer].includes(target))
          problems.push(
            `${rel}:${index + 1} ${layer}/ imports ${target}/ ("${specifier}"); ${layer}/ may import only ${ALLOWED[layer].join(', ') || 'itself'}`,
          );
      }
      if (layer === 'src' && PRODUCT_WORDS.test(line))
        problems.push(
          `${rel}:${index + 1} the generic core names the product ("${PRODUCT_WORDS.exec(line)![0]}"); move it to packs/, environments/, seeds/ or stack/`,
        );
    });
  }
}

checkTable();
checkCycles();

/**
 * Code every test worker loads (the config's worker path, the fixtures, the packs' specs) must not
 * load, at start, what most of its tests never use; each was a measured start-up cost of every
 * worker (bench/RESULTS.md), and the runner loads the specs too. Type-only imports are free, and so
 * is `await import(...)` where the library is used.
 */
const WORKER_ENTRIES = [
  'playwright.config.ts',
  'fixtures/index.ts',
  ...fs
    .readdirSync(path.join(root, 'packs'), { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith('.spec.ts'))
    .map(file => path.join('packs', file)),
];
checkStartImports(
  WORKER_ENTRIES,
  new Map([
    ['zod', 'use the run plan'],
    ['yaml', 'use the run plan'],
    ['openid-client', 'import it where an OIDC request is built: await import("openid-client")'],
  ]),
  'test workers',
);

/**
 * The runner's side of a run whose catalogue comes from the cache (catalogue-cache.ts): the run
 * setup and the reporters Playwright loads before the first test. zod and yaml are a third of a
 * second of that start; the loader, the verdict's schemas and the attestation load where used.
 */
checkStartImports(
  ['src/playwright/run-setup.ts', 'reporters/gate-reporter.ts', 'reporters/allure-reporter.ts'],
  new Map([
    ['zod', 'import the module that needs it where it is used, as the gate reporter imports gate-verdict.ts'],
    ['yaml', 'import the module that needs it where it is used, or take the kept catalogue'],
  ]),
  'the runner',
);

function checkStartImports(entries: readonly string[], forbidden: ReadonlyMap<string, string>, who: string): void {
  for (const entry of entries) {
    const seen = new Set<string>();
    const visit = (file: string, chain: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of runtimeImportsOf(fs.readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const next = path.resolve(path.dirname(file), specifier);
          if (next.endsWith('.ts') && fs.existsSync(next)) visit(next, [...chain, path.relative(root, next)]);
        } else if (forbidden.has(specifier)) {
          problems.push(
            `${chain.join(' -> ')} imports "${specifier}", which ${who} must not load at start (${forbidden.get(specifier)})`,
          );
        }
      }
    };
    visit(path.join(root, entry), [entry]);
  }
}

if (problems.length) {
  process.stderr.write(`layer check failed:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write('layer check ok\n');

/** Every file of the core sits in a folder the table lists. */
function checkPlacement(rel: string): void {
  const [, folder, ...rest] = rel.split(path.sep);
  if (!rest.length) problems.push(`${rel} is outside any folder of src/: move it into one (${TABLE} lists them)`);
  else if (!(folder in SRC_FOLDERS) && !unlisted.has(folder)) {
    unlisted.add(folder);
    problems.push(`src/${folder}/ is not in ${TABLE}: add it with its wing, why it exists and what it may import`);
  }
}
/** An import from one src folder into another: allowed by the table, and an edge of the folder graph. */
function checkSrcImport(rel: string, line: number, specifier: string, resolved: string): void {
  const from = rel.split(path.sep)[1];
  const [, to, ...rest] = resolved.split(path.sep);
  const rule = SRC_FOLDERS[from];
  if (!rule || !rest.length || to === from) return;
  const edges = srcGraph.get(from) ?? new Map<string, string>();
  srcGraph.set(from, edges);
  if (!edges.has(to)) edges.set(to, `${rel}:${line}`);
  if (rule.may.includes(to) || rule.may.includes([to, ...rest].join('/'))) return;
  problems.push(
    `${rel}:${line} ${from}/ imports ${to}/ ("${specifier}"); ${from}/ may import only ${describeMay(rule.may)} (${TABLE})`,
  );
}

function describeMay(may: readonly string[]): string {
  return may.length ? may.map(m => (m.endsWith('.ts') ? m : `${m}/`)).join(', ') : 'nothing outside itself';
}

function checkTable(): void {
  for (const [folder, rule] of Object.entries(SRC_FOLDERS)) {
    if (!fs.existsSync(path.join(root, 'src', folder)))
      problems.push(`${TABLE}: ${folder}/ is listed but src/${folder}/ does not exist: remove it from the table`);
    for (const entry of rule.may) {
      const target = SRC_FOLDERS[entry.split('/')[0]];
      if (!target) {
        problems.push(`${TABLE}: ${folder}/ may import ${entry}, which is not a folder of the table`);
        continue;
      }
      const allowed =
        target.wing === 'shared' || rule.wing === target.wing || (rule.wing === 'queue' && QUEUE_READS.includes(entry));
      if (!allowed)
        problems.push(
          `${TABLE}: ${folder}/ (${rule.wing}) may not import ${entry} (${target.wing}): ${WING_MAY[rule.wing]}`,
        );
    }
  }
}

/**
 * Folders that import each other in a loop, each loop named once with an import that makes each
 * step. The table's own lists are walked too, so it cannot allow a loop nobody has written yet.
 */
function checkCycles(): void {
  const allowedGraph = new Map(
    Object.entries(SRC_FOLDERS).map(([folder, rule]) => [
      folder,
      new Map(rule.may.map(entry => [entry.split('/')[0], `${TABLE}: ${folder}/ may import ${entry}`])),
    ]),
  );
  const seen = new Set<string>();
  for (const graph of [srcGraph, allowedGraph])
    for (const cycle of cyclesOf(graph)) {
      const key = [...cycle].sort().join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      const steps = cycle.map((folder, i) => {
        const next = cycle[(i + 1) % cycle.length];
        return `${folder}/ -> ${next}/ (${graph.get(folder)!.get(next)})`;
      });
      problems.push(`src/ folders import each other in a loop: ${steps.join('; ')}`);
    }
}

/** One cycle per strongly connected component (Tarjan), as the folders along it. */
function cyclesOf(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) cycles.push(pathThrough(graph, new Set(component), node));
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** A loop from `start` back to it inside one component: breadth-first, so the shortest one. */
function pathThrough(graph: Map<string, Map<string, string>>, members: Set<string>, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const loop = [node];
        while (loop[0] !== start) loop.unshift(previous.get(loop[0])!);
        return loop;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

function importsOf(line: string): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(/(?:from\s+|import\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/g)) found.push(match[1]);
  return found;
}

/**
 * Modules a file loads when it is loaded: static imports and re-exports that are not type-only.
 * Dynamic `import()` is left out on purpose: it runs only where it is called.
 */
function runtimeImportsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/^(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    if (!match[2]) found.push(match[4]);
  }
  return found;
}

function listTs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listTs(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}
