import path from 'node:path';
import { catalogueInvalid, findRoot, loadCatalogue } from '../../src/catalogue/load.ts';
import { PACK_TYPES_COMMAND, PACK_TYPES_FILE, packTypesChanges } from '../../src/catalogue/pack-types.ts';
import { sortDiagnostics } from '../../src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../src/diagnostics/format.ts';
import { writeFileAtomic } from '../../src/fs/write-file-atomic.ts';
import { printJson } from './print-json.ts';

/**
 * Problems of the spec files and of what claims them, which change nothing this command writes
 * (pack.gen.ts holds pack.yaml's names alone), so they do not stop it: a refusal just declared is
 * claimed by no test until the typed claim exists; a layer may name a spec not written yet, which
 * its author writes against the types this command gives; a spec may be beside pack.yaml before a
 * layer runs it, or hold a literal or a tag lint refuses.
 */
const FIXED_IN_SPECS = new Set([
  'unproven-refusal',
  'undeclared-refusal',
  'missing-spec',
  'unrun-spec',
  'spec-literal',
  'spec-tag-mismatch',
]);

/**
 * Writes each pack's pack.gen.ts from its pack.yaml (the names of its paths and selectors as types),
 * or with --check lists the stale ones and exits 1, like `schemas --check`: `npm run check` runs it
 * before tsc, so a stale file is named with the command to run rather than as a type error. --json
 * says the same as the words, as lint, tests and refusals do: ok exactly when the command exits 0,
 * every pack's pack.gen.ts as current, stale (--check) or written, and the problems still to fix in `todo`.
 */
export function types(options: { check?: boolean; json?: boolean }): void {
  const root = findRoot(process.cwd());
  const { catalogue, diagnostics } = loadCatalogue(root);
  const errors = diagnostics.filter(d => d.severity === 'error');
  const blocking = errors.filter(d => !FIXED_IN_SPECS.has(d.rule));
  if (!catalogue || blocking.length) throw catalogueInvalid(blocking);
  const changes = packTypesChanges(catalogue);
  const stale = changes.map(c => c.file);
  if (!options.check) for (const { file, text } of changes) writeFileAtomic(path.join(root, file), text);
  process.exitCode = options.check && stale.length ? 1 : 0;
  if (options.json) {
    const changed = options.check ? 'stale' : 'written';
    const files = [...catalogue.packs.values()].map(({ dir }) => {
      const file = `${dir}/${PACK_TYPES_FILE}`;
      return { file, state: stale.includes(file) ? changed : 'current' };
    });
    printJson({ ok: process.exitCode === 0, check: !!options.check, files, todo: sortDiagnostics(errors) });
    return;
  }
  if (options.check && stale.length) {
    process.stderr.write(
      `packgate: ${stale.join(', ')} ${stale.length === 1 ? 'is' : 'are'} out of date with pack.yaml\n` +
        `  hint: run \`${PACK_TYPES_COMMAND}\` and commit the result\n`,
    );
    return;
  }
  process.stdout.write(
    options.check
      ? `${PACK_TYPES_FILE} of every pack is up to date\n`
      : stale.length
        ? `wrote ${stale.join(', ')}\n`
        : `${PACK_TYPES_FILE} of every pack already up to date\n`,
  );
  // Not this command's to stop on, but not done: `packgate lint` still fails on them.
  if (errors.length)
    process.stderr.write(
      `packgate: still to do in the specs and the layers naming them (\`npx packgate lint\` fails until then):\n` +
        `${formatDiagnostics(errors)}\n`,
    );
}
