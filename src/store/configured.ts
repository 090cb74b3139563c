import fs from 'node:fs';
import path from 'node:path';
import type { ProjectManifest } from '../schema/project.ts';

export const DEFAULT_STORE_PATH = '.packgate/queue.db';
export const DEFAULT_STORE_URL_ENV = 'PACKGATE_STORE_URL';
/** How long a call waits for a lock another process or session keeps, when packgate.yaml's store.wait_s does not say. */
export const DEFAULT_STORE_WAIT_MS = 30_000;
/** Written by `packgate task start` into a task's worktree: which task, which session, which store. */
export const WORKTREE_POINTER = '.packgate/task.json';

/**
 * Whether the project at `root` keeps a queue store that gate runs go to: packgate.yaml has
 * `store:`, the env var of its URL is set, or this is a task's worktree. Kept apart from the store
 * itself, so a gate asks without loading it. (The store's commands open one whatever this says.)
 */
export function storeConfigured(
  root: string,
  manifest: ProjectManifest,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (manifest.store) return true;
  if (env[DEFAULT_STORE_URL_ENV]) return true;
  return fs.existsSync(path.join(root, WORKTREE_POINTER));
}
