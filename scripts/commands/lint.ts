import { findRoot, loadCatalogue } from '../../src/catalogue/load.ts';
import { loadGovernance } from '../../src/governance/load-governance.ts';
import { checkPackOwners } from '../../src/governance/pack-owners.ts';
import { hasErrors, sortDiagnostics } from '../../src/diagnostics/diagnostic.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../src/diagnostics/format.ts';

/**
 * Every problem of the catalogue and of the governance file (and between them: every pack's owner
 * is a lane), each as `file:line:col path: message` with a hint; exit 2 on any error.
 */
export function lint(options: { json?: boolean }): void {
  const root = findRoot(process.cwd());
  const loaded = loadCatalogue(root);
  const { catalogue } = loaded;
  const diagnostics = [...loaded.diagnostics];
  if (catalogue) {
    const { governance, diagnostics: governanceProblems } = loadGovernance(root, catalogue.manifest.value);
    diagnostics.push(...governanceProblems);
    if (governance) diagnostics.push(...checkPackOwners(catalogue, governance));
  }
  if (options.json) {
    process.stdout.write(
      JSON.stringify({ schemaVersion: 1, diagnostics: sortDiagnostics(diagnostics) }, null, 2) + '\n',
    );
  } else if (diagnostics.length) {
    process.stdout.write(`${formatDiagnostics(diagnostics)}\n\n${summarizeDiagnostics(diagnostics)}\n`);
  } else {
    const c = catalogue!;
    process.stdout.write(
      `catalogue ok: ${plural(c.packs.size, 'pack')}, ${plural(c.environments.size, 'environment')}, ` +
        `${plural(c.seeds.size, 'seed set')}, ${plural(c.faults.size, 'fault')}\n`,
    );
  }
  process.exitCode = !catalogue || hasErrors(diagnostics) ? 2 : 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
