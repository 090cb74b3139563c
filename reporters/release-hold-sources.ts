import type { QueueRead, ReleaseHoldQuery, ReleaseHoldSource } from '../src/gate/release-holds.ts';
import { readHolds } from '../src/gate/release-holds.ts';
import type { ProjectManifest } from '../src/schema/project.ts';
import { storeConfigured } from '../src/store/configured.ts';

type Env = Record<string, string | undefined>;

/**
 * Where a gate reads its release holds, chosen here where the gate and the queue are put together:
 * the queue store the project keeps (as for the gate-run sink), or none. The store's code loads
 * only when the project keeps one.
 */
export function releaseHoldSource(
  root: string,
  manifest: ProjectManifest,
  env: Env = process.env,
): ReleaseHoldSource | undefined {
  if (!storeConfigured(root, manifest, env)) return undefined;
  return {
    name: 'queue store',
    read: async query =>
      (await import('../src/loop/release-hold-source.ts')).storeHoldSource(root, env, manifest).read(query),
  };
}

/** The run's one read of the release holds; without a store that is said, never an empty queue. */
export function readReleaseHolds(
  root: string,
  manifest: ProjectManifest,
  query: ReleaseHoldQuery,
  env: Env = process.env,
): Promise<QueueRead> {
  const source = releaseHoldSource(root, manifest, env);
  if (!source)
    return Promise.resolve({
      store: null,
      reason: 'no queue store is configured (packgate.yaml has no `store:`, and PACKGATE_STORE_URL is not set)',
    });
  return readHolds(source, query);
}
