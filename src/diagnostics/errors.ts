import type { Diagnostic } from './diagnostic.ts';
import { formatDiagnostics } from './format.ts';

/** Fixed codes a caller can branch on; the message says what, where and what to do. */
export type PackgateErrorCode =
  | 'CATALOGUE_INVALID'
  | 'ROOT_NOT_FOUND'
  | 'ENV_UNKNOWN'
  | 'ENV_VALUE_MISSING'
  | 'ENV_URL_INVALID'
  | 'SECRET_MISSING'
  | 'SIGN_IN_MISSING'
  | 'FAULT_UNKNOWN'
  | 'BROWSER_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'PACKET_INVALID'
  | 'GOVERNANCE_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'STORE_TOO_NEW'
  | 'TASK_UNKNOWN'
  | 'TASK_EXISTS'
  | 'TASK_HELD'
  | 'TASK_CONFLICT'
  | 'TRANSITION_ILLEGAL'
  | 'DEPENDENCY_CYCLE'
  | 'SESSION_UNKNOWN'
  | 'EVIDENCE_INVALID'
  | 'GIT_FAILED';

export class PackgateError extends Error {
  override name = 'PackgateError';
  constructor(
    readonly code: PackgateErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(hint ? `${message}\n  hint: ${hint}` : message, options);
  }
}

/** The catalogue did not validate; carries every problem, not just the first. */
export class CatalogueError extends PackgateError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      'CATALOGUE_INVALID',
      `the packgate catalogue has problems:\n${formatDiagnostics(diagnostics)}`,
      'run `npx packgate lint` to see them all; fix each file:line:col above',
    );
  }
}
