import { findRoot, loadCatalogue } from '../../src/catalogue/load.ts';
import { loadGovernance } from '../../src/governance/load-governance.ts';
import { checkPackOwners } from '../../src/governance/pack-owners.ts';
import { hasErrors, sortDiagnostics } from '../../src/diagnostics/diagnostic.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../src/diagnostics/format.ts';
import { fewRefusals, refusalsOfCatalogue } from '../../src/catalogue/refusal-claims.ts';
import { packTypesDiagnostics } from '../../src/catalogue/pack-types.ts';
import { plural } from '../../src/text/plural.ts';
import { printJson } from './print-json.ts';

/**
 * Every problem of the catalogue and of the governance file (and between them: every pack's owner
 * is a lane), each as `file:line:col path: message` with a hint; exit 2 on any error.
 */
export function lint(options: { json?: boolean }): void {
  const root = findRoot(process.cwd());
  const loaded = loadCatalogue(root);
  const { catalogue } = loaded;
  const diagnostics = [...loaded.diagnostics, ...(loaded.view ? fewRefusals(loaded.view.packs) : [])];
  if (catalogue) {
    const { governance, diagnostics: governanceProblems } = loadGovernance(root, catalogue.manifest.value);
    diagnostics.push(...governanceProblems);
    if (governance && loaded.view) diagnostics.push(...checkPackOwners(loaded.view.packs, governance));
    diagnostics.push(...packTypesDiagnostics(catalogue, loaded.view));
  }
  // What each pack proves it refuses: listed, so a pack with none is seen, not only warned about.
  const refusals = catalogue ? [...refusalsOfCatalogue(catalogue)] : [];
  if (options.json) {
    const exitCode = !catalogue || hasErrors(diagnostics) ? 2 : 0;
    printJson({
      // As every command's JSON has it: true exactly when lint exits 0 (no error; warnings may be).
      ok: exitCode === 0,
      diagnostics: sortDiagnostics(diagnostics),
      refusals: Object.fromEntries(refusals.map(([id, r]) => [id, r.refusals])),
    });
    process.exitCode = exitCode;
    return;
  }
  if (diagnostics.length)
    process.stdout.write(`${formatDiagnostics(diagnostics)}\n\n${summarizeDiagnostics(diagnostics)}\n`);
  // Errors come alone, to be fixed first; a catalogue without them lists what each pack proves it refuses.
  if (hasErrors(diagnostics) || !catalogue) {
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`${diagnostics.length ? '\n' : ''}refusals:\n`);
  // A pack with too few (and no note) is a warning above, counted and in --json; listed here as any other.
  for (const [id, { refusals: declared }] of refusals) {
    const ids = declared.length ? `${declared.length} (${declared.map(r => r.id).join(', ')})` : 'none';
    process.stdout.write(`  ${id}: ${ids}\n`);
  }
  if (!diagnostics.length) {
    const c = catalogue;
    process.stdout.write(
      `\ncatalogue ok: ${plural(c.packs.size, 'pack')}, ${plural(c.environments.size, 'environment')}, ` +
        `${plural(c.seeds.size, 'seed set')}, ${plural(c.faults.size, 'fault')}\n`,
    );
  }
  process.exitCode = 0;
}
