import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

/**
 * Dev-stage secrets that an environment lets packgate generate (`generate: true`), kept per
 * checkout in `.packgate/local-secrets.json` (git-ignored, mode 0600) so that the stack, the
 * test workers and a stack started by hand all agree without a literal secret in the repo.
 */
const STORE = '.packgate/local-secrets.json';

type Store = { schemaVersion: 1; secrets: Record<string, string> };

export function localSecret(root: string, envVar: string): string {
  const file = path.join(root, STORE);
  const store = readStore(file);
  const existing = store.secrets[envVar];
  if (existing) return existing;
  store.secrets[envVar] = crypto.randomBytes(18).toString('base64url');
  writeFileAtomic(file, JSON.stringify(store, null, 2) + '\n', { mode: 0o600 });
  return store.secrets[envVar];
}

function readStore(file: string): Store {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Store;
    if (parsed?.schemaVersion === 1 && parsed.secrets && typeof parsed.secrets === 'object') return parsed;
  } catch {
    // Missing or unreadable: start a new store; generated dev secrets are disposable.
  }
  return { schemaVersion: 1, secrets: {} };
}
