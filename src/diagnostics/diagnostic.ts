/**
 * A problem found in the catalogue or a run's input. Data only: `formatDiagnostics` prints it.
 * `file` is relative to the project root with forward slashes; `line` and `col` are 1-based.
 */
export type Diagnostic = {
  severity: 'error' | 'warning';
  /** A stable id of the rule that found it, e.g. `schema`, `unknown-field`, `missing-seed`. */
  rule: string;
  file: string;
  line: number;
  col: number;
  /** Field path inside the file, e.g. `policy.demo` or `layers[1]`; empty for the file as a whole. */
  path: string;
  message: string;
  /** What to do about it. */
  hint?: string;
};

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some(d => d.severity === 'error');
}

/** Orders diagnostics by file, then position, so output is stable whatever order the checks ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.path.localeCompare(b.path),
  );
}

/** Renders a field path the way a person writes it: `urls.app`, `layers[1]`, `packs.auth-session.paths`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}
