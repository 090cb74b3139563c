import type { ManualRead, ManualVerdictQuery } from '../src/gate/manual-verdicts.ts';
import { readManualVerdicts } from '../src/gate/manual-verdicts.ts';
import type { ProjectManifest } from '../src/schema/project.ts';
import { storeConfigured } from '../src/store/configured.ts';

type Env = Record<string, string | undefined>;

/**
 * The run's one read of the recorded manual verdicts, from the queue store the project keeps (as
 * for the release holds); without a store that is said, and every check is missing.
 */
export function readManualVerdictsOf(
  root: string,
  manifest: ProjectManifest,
  query: ManualVerdictQuery,
  env: Env = process.env,
): Promise<ManualRead> {
  if (!storeConfigured(root, manifest, env))
    return Promise.resolve({
      store: null,
      reason: 'no queue store is configured (packgate.yaml has no `store:`, and PACKGATE_STORE_URL is not set)',
    });
  return readManualVerdicts(
    {
      name: 'queue store',
      read: async q =>
        (await import('../src/manual/manual-verdict-source.ts')).storeManualSource(root, env, manifest).read(q),
    },
    query,
  );
}
