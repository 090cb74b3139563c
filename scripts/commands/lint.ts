import { findRoot, loadCatalogue } from '../../src/catalogue/load.ts';
import { hasErrors, sortDiagnostics } from '../../src/diagnostics/diagnostic.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../src/diagnostics/format.ts';

/** Every problem of the catalogue, each as `file:line:col path: message` with a hint; exit 2 on any error. */
export function lint(options: { json?: boolean }): void {
  const root = findRoot(process.cwd());
  const { catalogue, diagnostics } = loadCatalogue(root);
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
