/**
 * Keeps the layers honest (run by `npm test`): imports flow packs -> fixtures -> core, reporters and
 * the CLI -> core, the stack -> core; the core imports none of them, and names nothing of GPUaaS.
 * Packs and fixtures reach the stack only over the network, never by importing it.
 */
import fs from 'node:fs';
import path from 'node:path';

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

const problems: string[] = [];

for (const layer of Object.keys(ALLOWED)) {
  for (const file of listTs(path.join(root, layer))) {
    const rel = path.relative(root, file);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const specifier of importsOf(line)) {
        if (!specifier.startsWith('.')) continue;
        const target = path.relative(root, path.resolve(path.dirname(file), specifier)).split(path.sep)[0];
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

/**
 * Code every test worker loads (the config's worker path and the fixtures) must not load the
 * catalogue's parsers: workers get the runner's validated run plan as JSON, and importing zod and
 * yaml in each of them was a measured start-up cost (bench/RESULTS.md). Type-only imports are free.
 */
const WORKER_ENTRIES = ['playwright.config.ts', 'fixtures/index.ts'];
const WORKER_FORBIDDEN = new Set(['zod', 'yaml']);
for (const entry of WORKER_ENTRIES) {
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImportsOf(fs.readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const next = path.resolve(path.dirname(file), specifier);
        if (next.endsWith('.ts') && fs.existsSync(next)) visit(next, [...chain, path.relative(root, next)]);
      } else if (WORKER_FORBIDDEN.has(specifier)) {
        problems.push(
          `${chain.join(' -> ')} imports "${specifier}", which test workers must not load (use the run plan)`,
        );
      }
    }
  };
  visit(path.join(root, entry), [entry]);
}

if (problems.length) {
  process.stderr.write(`layer check failed:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write('layer check ok\n');

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
