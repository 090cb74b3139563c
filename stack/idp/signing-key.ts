import crypto from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPair = promisify(crypto.generateKeyPair);

/**
 * A fresh RS256 signing key per start (Keycloak's default algorithm). Tokens from an earlier run
 * then fail signature checks, which is what a restarted IdP with rotated keys looks like.
 */
export async function generateSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: crypto.randomBytes(12).toString('base64url'), use: 'sig', alg: 'RS256' };
}
