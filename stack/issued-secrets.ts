import fs from 'node:fs';

/**
 * Set to a file path to have the stack append every credential it issues or is given (passwords,
 * the client secret, authorization codes, PKCE verifiers, access, ID and refresh tokens, session
 * cookies, the session-storage shape's tokens) to that file, one JSON line each, mode 0600. Test
 * infrastructure only: the canary test reads it to know, independently of the gate's redactor,
 * which values must never reach an artifact. Honoured only for environments at stage dev.
 */
export const ISSUED_SECRETS_VAR = 'PACKGATE_STACK_RECORD_ISSUED';

export type IssuedSecretKind =
  | 'password'
  | 'client-secret'
  | 'session-cookie'
  | 'idp-session-cookie'
  | 'interaction-cookie'
  | 'access-token'
  | 'id-token'
  | 'authorization-code'
  | 'code-verifier'
  | 'refresh-token'
  | 'session-storage-token';

export type IssuedSecrets = { record(kind: IssuedSecretKind, value: unknown): void };

/** Records nothing: the stack as everyone but the canary test runs it. */
export const NOT_RECORDED: IssuedSecrets = { record: () => {} };

export function issuedSecretsFile(file: string): IssuedSecrets {
  return {
    record(kind, value) {
      if (typeof value !== 'string' || !value) return;
      fs.appendFileSync(file, JSON.stringify({ kind, value }) + '\n', { mode: 0o600 });
    },
  };
}
