import fs from 'node:fs';
import path from 'node:path';
import { currentRunPlan } from '../run/run-plan.ts';

/**
 * Credentials the fixtures saw during a run (cookies, OAuth codes, states, code verifiers, tokens),
 * kept so the gate reporter redacts them by value: a pattern finds `?code=...`, only the value
 * finds the same code in a page's HTML, a base64 blob or an error message. Workers append one JSON
 * line per value to a file in the run's scratch folder (mode 0600, removed when the run ends); the
 * reporter, in the runner process, reads it whenever it redacts.
 */
export const SECRETS_SEEN_FILE = 'secrets-seen.jsonl';

/**
 * Shorter values are not recorded: no credential is this short, and an ordinary cookie value such as
 * `1` or `true` must not become a value redacted wherever it appears.
 */
export const MIN_SEEN_LENGTH = 8;

export type SeenSecretKind =
  | 'cookie'
  | 'authorization-code'
  | 'state'
  | 'nonce'
  | 'code-verifier'
  | 'access-token'
  | 'id-token'
  | 'refresh-token'
  | 'session-storage'
  | 'local-storage';

/**
 * Records values a fixture saw, for this run's redaction. A no-op outside a packgate run; never
 * throws (a test must not fail because its evidence could not be noted).
 */
export function recordSecretsSeen(
  kind: SeenSecretKind,
  values: ReadonlyArray<string | null | undefined>,
  runDir: string | undefined = currentRunPlan()?.runDir,
): void {
  if (!runDir) return;
  const lines = values
    .filter((v): v is string => typeof v === 'string' && v.length >= MIN_SEEN_LENGTH)
    .map(value => JSON.stringify({ kind, value }) + '\n')
    .join('');
  if (!lines) return;
  try {
    // One append per call: O_APPEND keeps concurrent workers' lines whole.
    fs.appendFileSync(path.join(runDir, SECRETS_SEEN_FILE), lines, { mode: 0o600 });
  } catch {
    // The run's folder is gone (the run is ending); patterns still redact what this would have named.
  }
}

/** The values recorded in `runDir` so far, and the file's size (to tell when there are new ones). */
export function readSecretsSeen(runDir: string | undefined): { values: string[]; size: number } {
  if (!runDir) return { values: [], size: 0 };
  let text: string;
  try {
    text = fs.readFileSync(path.join(runDir, SECRETS_SEEN_FILE), 'utf8');
  } catch {
    return { values: [], size: 0 };
  }
  const values = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const { value } = JSON.parse(line) as { value?: unknown };
      if (typeof value === 'string') values.add(value);
    } catch {
      // A line being written while read: its value is read next time.
    }
  }
  return { values: [...values], size: Buffer.byteLength(text) };
}

/** Size of the file now, cheaply: whether `readSecretsSeen` would find anything new. */
export function secretsSeenSize(runDir: string | undefined): number {
  if (!runDir) return 0;
  try {
    return fs.statSync(path.join(runDir, SECRETS_SEEN_FILE)).size;
  } catch {
    return 0;
  }
}

/** URL parameters that carry a credential or a value binding one (OAuth 2.0, OIDC). */
const SECRET_URL_PARAMS: Record<string, SeenSecretKind> = {
  code: 'authorization-code',
  state: 'state',
  nonce: 'nonce',
  session_state: 'state',
  code_verifier: 'code-verifier',
  access_token: 'access-token',
  id_token: 'id-token',
  refresh_token: 'refresh-token',
};

/** Records the credential parameters of a URL (query and fragment): a callback's code and state. */
export function recordSecretsInUrl(url: string | undefined, runDir?: string): void {
  if (!url) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  const params = [...parsed.searchParams, ...new URLSearchParams(parsed.hash.slice(1))];
  for (const [name, value] of params) {
    const kind = SECRET_URL_PARAMS[name];
    if (kind) recordSecretsSeen(kind, [value], runDir);
  }
}
