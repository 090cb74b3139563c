import { ATTEST_KEY_VAR, loadSigningKey } from '../evidence/keys.ts';

/**
 * The signing key, checked before the run starts: a key that is unreadable or not ed25519 would
 * otherwise be found only at the end, after every test ran, and block the run for want of its
 * attestation. The value itself is never printed (see keys.ts).
 */
export function checkAttestKey(env: NodeJS.ProcessEnv = process.env): void {
  const value = env[ATTEST_KEY_VAR];
  if (value) loadSigningKey(value, ATTEST_KEY_VAR);
}
