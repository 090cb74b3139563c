import fs from 'node:fs';
import { errorLine } from '../diagnostics/first-line.ts';
import { describeLocation, loadManifest, openStore, resolveStoreLocation, type StoreLocation } from './open.ts';
import type { QueueStore } from './queue-store.ts';
import type { ProjectManifest } from '../schema/project.ts';

type Env = Record<string, string | undefined>;

/** What a one-off read of the configured store gives: what was read, or why nothing could be. */
export type ConfiguredStoreRead<T> = ({ store: string; readAt: string } & T) | { store: string | null; reason: string };

/**
 * Reads the project's configured queue store once (packgate.yaml, the URL's env var, or a task
 * worktree's pointer, as the gate-run sink finds it), and closes it. Never throws: a store that
 * cannot be found or read comes back as its reason. A configured SQLite file that does not exist
 * yet is read as `absent` without creating it: a read writes nothing, and a folder it could not
 * create in would otherwise turn "nothing recorded yet" into "store unreadable". `manifest` is
 * packgate.yaml as the caller validated it (a gate run's catalogue), else read here.
 */
export async function readConfiguredStore<T extends object>(
  root: string,
  env: Env,
  read: (store: QueueStore) => Promise<T>,
  absent: T,
  manifest?: ProjectManifest,
): Promise<ConfiguredStoreRead<T>> {
  let location: StoreLocation;
  try {
    location = resolveStoreLocation(root, manifest ?? loadManifest(root), env);
  } catch (error) {
    return { store: null, reason: `the queue store could not be found: ${errorLine(error)}` };
  }
  const shown = describeLocation(location);
  const readAt = new Date().toISOString();
  if (location.kind === 'sqlite' && !fs.existsSync(location.path)) return { store: shown, readAt, ...absent };
  let store: QueueStore | undefined;
  try {
    store = await openStore(location);
    return { store: shown, readAt, ...(await read(store)) };
  } catch (error) {
    return { store: shown, reason: `the queue store ${shown} could not be read: ${errorLine(error)}` };
  } finally {
    await store?.close().catch(() => {});
  }
}
