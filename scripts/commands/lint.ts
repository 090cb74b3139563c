import { findRoot, loadCatalogue } from '../../src/catalogue/load.ts';
import { hasErrors, sortDiagnostics } from '../../src/diagnostics/diagnostic.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../src/diagnostics/format.ts';

/** Every problem of the catalogue, each as `file:line:col path: message` with a hint; exit 2 on any error. */
export function lint(options: { json?: boolean }): void {
  const root = findRoot(process.cwd());
  const { catalogue, diagnostics } = loadCatalogue(root);
  if (options.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, diagnostics: sortDiagnostics(diagnostics) }, null, 2) + '\n');
  } else if (diagnostics.length) {
    process.stdout.write(`${formatDiagnostics(diagnostics)}\n\n${summarizeDiagnostics(diagnostics)}\n`);
  } else {
    const c = catalogue!;
    process.stdout.write(`catalogue ok: ${c.packs.size} pack${c.packs.size === 1 ? '' : 's'}, ${c.environments.size} environments, ${c.seeds.size} seed set${c.seeds.size === 1 ? '' : 's'}, ${c.faults.size} fault${c.faults.size === 1 ? '' : 's'}\n`);
  }
  process.exitCode = !catalogue || hasErrors(diagnostics) ? 2 : 0;
}
