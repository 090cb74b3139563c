import type { Diagnostic } from './diagnostic.ts';
import { formatDiagnostics, formatInputProblems } from './format.ts';
import { hideUrlCredentials } from './url-credentials.ts';

/** Fixed codes a caller can branch on; the message says what, where and what to do. */
export type PackgateErrorCode =
  | 'CATALOGUE_INVALID'
  | 'ROOT_NOT_FOUND'
  | 'ENV_UNKNOWN'
  | 'ENV_VALUE_MISSING'
  | 'ENV_URL_INVALID'
  | 'SECRET_MISSING'
  | 'SIGN_IN_MISSING'
  | 'SIGN_IN_FAILED'
  | 'FAULT_UNKNOWN'
  | 'BROWSER_NOT_FOUND'
  | 'DISPLAY_MISSING'
  | 'TLS_CA_MISSING'
  | 'TLS_CA_INVALID'
  | 'TLS_TRUST_TOOL_MISSING'
  | 'TLS_TRUST_FAILED'
  | 'INPUT_INVALID'
  | 'PACKET_INVALID'
  | 'GOVERNANCE_INVALID'
  // Cannot be reached or is locked (running the command again later may do), or failed what it was asked.
  | 'STORE_UNAVAILABLE'
  | 'STORE_FAILED'
  | 'STORE_TOO_NEW'
  | 'TASK_UNKNOWN'
  | 'GATE_RUN_UNKNOWN'
  | 'TASK_EXISTS'
  | 'TASK_HELD'
  | 'TASK_CONFLICT'
  | 'TRANSITION_ILLEGAL'
  | 'DEPENDENCY_CYCLE'
  | 'DEPENDENCIES_OPEN'
  | 'SESSION_UNKNOWN'
  | 'EVIDENCE_INVALID'
  | 'GIT_FAILED'
  | 'REPORT_FAILED'
  // The review loop: a bug fix's definition of done, its regression's proof, the review itself.
  | 'FIX_RECORD_INVALID'
  | 'REGRESSION_NOT_PROVEN'
  | 'REVIEW_REFUSED'
  | 'NO_RELEASE_HOLD'
  // Watchers: their packets, a watched task that left its allowed fixes, a command that could not start.
  | 'WATCH_PACKET_INVALID'
  | 'WATCH_REFUSED'
  | 'WATCH_NOT_STARTED'
  // A manual verdict recorded by a lane that does not own the check.
  | 'MANUAL_REFUSED'
  // What the fixtures find wrong while a pack's test runs.
  | 'RUN_PLAN_MISSING'
  | 'SPEC_MISPLACED'
  | 'PACK_INCOMPLETE'
  | 'SEED_UNKNOWN'
  | 'HTTP_UNEXPECTED'
  // A passing test of a refusal whose answers were none of the statuses its pack declares.
  | 'REFUSAL_CONTRADICTED'
  | 'INTERNAL';

/** How the CLI exits on the error: 2 for bad input (nothing was done), 1 for a check that said no. */
export type ErrorExitCode = 1 | 2;

/** Codes that mean "checked, and no" (exit 1) rather than bad input (exit 2). */
const REFUSALS: ReadonlySet<PackgateErrorCode> = new Set([
  'TASK_HELD',
  'DEPENDENCIES_OPEN',
  'REGRESSION_NOT_PROVEN',
  'REVIEW_REFUSED',
  'WATCH_REFUSED',
  'MANUAL_REFUSED',
  'SIGN_IN_FAILED',
]);

export type PackgateErrorOptions = {
  /** What to do about it, printed below the message as `hint: ...`. */
  hint?: string;
  /** Every problem found, each located (file:line:col and field path), printed below the message. */
  diagnostics?: readonly Diagnostic[];
  /**
   * The diagnostics are of inputs given as flags or env vars, in the file they were to be written to:
   * printed as `field: message` (see formatInputProblems), with no position where nothing was written.
   */
  inputs?: boolean;
  /** Default: 1 for a refusal (see REFUSALS), 2 for everything else. */
  exitCode?: ErrorExitCode;
  cause?: unknown;
};

/**
 * The one error packgate shows a user, from the CLI, the gate and the fixtures alike: a fixed code,
 * a message saying what and where, every located problem when there are several (not just the
 * first), a hint saying what to do, and the exit code the CLI turns it into.
 */
export class PackgateError extends Error {
  override name = 'PackgateError';
  readonly hint?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly exitCode: ErrorExitCode;

  constructor(
    readonly code: PackgateErrorCode,
    message: string,
    options: PackgateErrorOptions = {},
  ) {
    const { hint, diagnostics = [], exitCode, cause } = options;
    const listed = options.inputs ? formatInputProblems(diagnostics) : formatDiagnostics(diagnostics);
    const body = diagnostics.length ? `${hideUrlCredentials(message)}:\n${listed}` : hideUrlCredentials(message);
    super(hint ? `${body}\n  hint: ${hint}` : body, 'cause' in options ? { cause } : undefined);
    this.hint = hint;
    this.diagnostics = diagnostics;
    this.exitCode = exitCode ?? (REFUSALS.has(code) ? 1 : 2);
  }
}
