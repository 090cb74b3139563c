import type { Diagnostic } from './diagnostic.ts';
import { sortDiagnostics } from './diagnostic.ts';
import { hideUrlCredentials } from './url-credentials.ts';

/**
 * One line per problem, `file:line:col path: message`, then its hint indented below:
 *
 *     environments/demo.yaml:12:3 urls.app: must be an https URL for stage demo
 *       hint: set PACKGATE_DEMO_APP_URL to the deployed https URL
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const head = `${where} ${d.path ? `${d.path}: ` : ''}${d.severity === 'warning' ? 'warning: ' : ''}${hideUrlCredentials(d.message)}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n');
}

/** `2 errors and 1 warning in 2 files`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter(d => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map(d => d.file)).size;
  const parts = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `${parts.join(' and ')} in ${files} file${files === 1 ? '' : 's'}`;
}

/**
 * Problems of inputs given as flags or env vars, which have no position in a file to show:
 * `field: message`, then the hint, one below the other, and how many there are.
 */
export function formatInputProblems(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter(d => d.severity === 'error');
  return [
    ...errors.map(
      d => `  ${d.path ? `${d.path}: ` : ''}${hideUrlCredentials(d.message)}${d.hint ? `\n    hint: ${d.hint}` : ''}`,
    ),
    `  (${summarizeDiagnostics(errors).replace(/ in \d+ files?$/, '')})`,
  ].join('\n');
}
