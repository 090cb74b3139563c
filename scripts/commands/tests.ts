import path from 'node:path';
import { findRoot, loadValidCatalogue } from '../../src/catalogue/load.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { manifestsFromListing, renderTestManifest } from '../../src/playwright/test-manifests.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { listAllTests } from '../../src/playwright/list-tests.ts';
import { writeFileAtomic } from '../../src/fs/write-file-atomic.ts';
import { packTypesDiagnostics } from '../../src/catalogue/pack-types.ts';
import { printJson } from './print-json.ts';

/**
 * Compares every pack's tests.yaml with the tests its specs declare (as Playwright lists them);
 * `--update` rewrites the stale ones. Exit 1 when any is stale and not updated.
 */
export function tests(options: { update?: boolean; json?: boolean }): void {
  const root = findRoot(process.cwd());
  const { catalogue, warnings } = loadValidCatalogue(root);
  // Playwright cannot load a spec whose pack.gen.ts was never written: say which, and what writes it.
  const missingTypes = packTypesDiagnostics(catalogue).filter(d => d.severity === 'error');
  if (missingTypes.length)
    throw new PackgateError('INPUT_INVALID', 'the specs cannot be listed: a pack.gen.ts they import is missing', {
      diagnostics: missingTypes,
    });
  const listing = manifestsFromListing(catalogue, listAllTests(root));
  if (listing.problems.length)
    throw new PackgateError('INPUT_INVALID', listing.problems.join('\n'), {
      hint: 'make the specs agree, then run this again',
    });
  // What is wrong with a manifest besides its titles (not YAML, not a list of titles, a title twice):
  // said with its place, as lint says it. Such a manifest is not read at all, so every test follows as +.
  const changes = listing.changes.map(c => ({
    ...c,
    problems: warnings.filter(d => d.file === c.file && !TITLE_RULES.has(d.rule)).map(describe),
  }));
  const stale = changes.filter(c => c.stale);
  if (options.update)
    for (const change of stale) {
      writeFileAtomic(path.join(root, change.file), renderTestManifest(change.wanted));
    }
  const exitCode = stale.length && !options.update ? 1 : 0;
  if (options.json) {
    // ok as every command's JSON has it: true exactly when the command exits 0 (no tests.yaml left stale).
    printJson({ ok: exitCode === 0, updated: !!options.update, packs: changes });
  } else {
    for (const c of changes) {
      const counts = Object.entries(c.wanted)
        .map(([layer, titles]) => `${layer} ${titles.length}`)
        .join(', ');
      const state = !c.stale ? 'current' : options.update ? 'updated' : 'STALE';
      process.stdout.write(`${c.file}: ${state} (${counts || 'no tests'})\n`);
      if (c.stale && !options.update && c.problems.length) {
        for (const problem of c.problems) process.stdout.write(`  ! ${problem}\n`);
        process.stdout.write('  it does not validate, so none of the titles in it count:\n');
      }
      if (c.stale && !options.update)
        for (const [sign, titles] of [
          ['+', c.added],
          ['-', c.removed],
        ] as const)
          for (const title of titles) process.stdout.write(`  ${sign} ${title}\n`);
    }
    if (stale.length && !options.update)
      process.stdout.write('\nhint: run `npx packgate tests --update` and commit the result\n');
  }
  process.exitCode = exitCode;
}

/** Lint's rules about which titles a manifest holds: `packgate tests` shows those as + and - lines. */
const TITLE_RULES = new Set(['tests-manifest-missing', 'tests-manifest-stale']);

function describe(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col} ${d.path ? `${d.path}: ` : ''}${d.message}`;
}
