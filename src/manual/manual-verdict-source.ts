import fs from 'node:fs';
import { errorLine } from '../diagnostics/first-line.ts';
import type { ManualVerdictSource, RecordedManual } from '../gate/manual-verdicts.ts';
import type { ManualVerdict } from '../store/manual-verdict-schema.ts';
import { describeLocation, loadManifest, openStore, resolveStoreLocation, type StoreLocation } from '../store/open.ts';
import type { QueueStore } from '../store/queue-store.ts';

type Env = Record<string, string | undefined>;

/**
 * The queue store as the source of recorded manual verdicts, found as the release holds' source
 * finds it. A configured SQLite file that does not exist yet holds no verdict: read without creating it.
 */
export function storeManualSource(root: string, env: Env = process.env): ManualVerdictSource {
  return {
    name: 'queue store',
    async read(query) {
      let location: StoreLocation;
      try {
        location = resolveStoreLocation(root, loadManifest(root), env);
      } catch (error) {
        return { store: null, reason: `the queue store could not be found: ${errorLine(error)}` };
      }
      const shown = describeLocation(location);
      const readAt = new Date().toISOString();
      if (location.kind === 'sqlite' && !fs.existsSync(location.path)) return { store: shown, readAt, verdicts: [] };
      let store: QueueStore | undefined;
      try {
        store = await openStore(location);
        const verdicts = await store.manualVerdicts({ environment: query.environment, packs: query.packs });
        return { store: shown, readAt, verdicts: verdicts.map(recorded) };
      } catch (error) {
        return { store: shown, reason: `the queue store ${shown} could not be read: ${errorLine(error)}` };
      } finally {
        await store?.close().catch(() => {});
      }
    },
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
