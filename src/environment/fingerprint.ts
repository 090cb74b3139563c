import crypto from 'node:crypto';
import type { ResolvedEnvironment } from './resolve.ts';

/**
 * Identifies a stack by everything a run depends on: URLs, client, faults, the settings that shape
 * it (its login UI, paths, session length: see stackSettings) and (hashed) secrets. The stack
 * answers its ready URL only for its own fingerprint, so Playwright's webServer reuses a running
 * stack only when it is the very stack this run asked for, never one with other faults or shape.
 */
export function stackFingerprint(
  env: ResolvedEnvironment,
  faults: readonly string[],
  settings: Readonly<Record<string, string>>,
): string {
  const secrets = env.secrets.names().map(({ name }) => {
    let digest = 'unset';
    try {
      digest = crypto.createHash('sha256').update(env.secrets.get(name)).digest('hex');
    } catch {
      // An unavailable secret is part of the identity as "unset".
    }
    return [name, digest];
  });
  const identity = JSON.stringify({
    name: env.name,
    urls: env.urls,
    oidc: env.oidc,
    faults: [...faults].sort(),
    settings,
    secrets,
  });
  return crypto.createHash('sha256').update(identity).digest('hex').slice(0, 16);
}
