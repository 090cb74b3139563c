import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { PackgateError, type PackgateErrorCode } from '../diagnostics/errors.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../diagnostics/format.ts';

/** Input that did not validate (a packet, governance.yaml, a verdict file), with every problem found. */
export class InvalidInputError extends PackgateError {
  constructor(
    code: PackgateErrorCode,
    what: string,
    readonly diagnostics: Diagnostic[],
    hint?: string,
  ) {
    super(code, `${what} (${summarizeDiagnostics(diagnostics)}):\n${formatDiagnostics(diagnostics)}`, hint);
  }
}
