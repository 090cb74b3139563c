import type { ManualVerdictSource, RecordedManual } from '../gate/manual-verdicts.ts';
import type { ManualVerdict } from '../store/manual-verdict-schema.ts';
import { readConfiguredStore } from '../store/read-configured-store.ts';
import type { ProjectManifest } from '../schema/project.ts';

type Env = Record<string, string | undefined>;

/**
 * The queue store as the source of recorded manual verdicts, found as the release holds' source
 * finds it. A configured SQLite file that does not exist yet holds no verdict: read without creating it.
 */
export function storeManualSource(
  root: string,
  env: Env = process.env,
  manifest?: ProjectManifest,
): ManualVerdictSource {
  return {
    name: 'queue store',
    read: query =>
      readConfiguredStore(
        root,
        env,
        async store => ({
          verdicts: (await store.manualVerdicts({ environment: query.environment, packs: query.packs })).map(recorded),
        }),
        { verdicts: [] },
        manifest,
      ),
  };
}

function recorded(v: ManualVerdict): RecordedManual {
  return {
    pack: v.pack,
    check: v.check,
    result: v.result,
    by: v.recordedBy,
    at: v.recordedAt,
    expires: v.expiresAt,
    note: v.note,
  };
}
