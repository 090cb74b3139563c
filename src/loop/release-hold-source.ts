import fs from 'node:fs';
import { errorLine } from '../diagnostics/first-line.ts';
import type { AppliedHold, ReleaseHoldQuery, ReleaseHoldSource } from '../gate/release-holds.ts';
import { describeLocation, loadManifest, openStore, resolveStoreLocation, type StoreLocation } from '../store/open.ts';
import type { ReleaseHoldView } from '../store/release-hold-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';

type Env = Record<string, string | undefined>;

/**
 * The queue store as the release holds' source: the project's configured store (packgate.yaml,
 * the URL's env var, or a task worktree's pointer, as the gate-run sink finds it), read once for
 * the holds that hold now on the packs the run's environment runs.
 *
 * A configured SQLite file that does not exist yet is an empty queue, read without creating it: a
 * read writes nothing, and a folder it could not create in would otherwise turn "no task yet"
 * into "store unreadable". (The gate-run sink creates it when it records the run.)
 */
export function storeHoldSource(root: string, env: Env = process.env): ReleaseHoldSource {
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
      if (location.kind === 'sqlite' && !fs.existsSync(location.path))
        return { store: shown, readAt, holds: [], note: 'the store file does not exist yet: an empty queue' };
      let store: QueueStore | undefined;
      try {
        store = await openStore(location);
        const holds = await store.releaseHolds({ activeOnly: true });
        return { store: shown, readAt, holds: holdsOfQuery(holds, query) };
      } catch (error) {
        return { store: shown, reason: `the queue store ${shown} could not be read: ${errorLine(error)}` };
      } finally {
        await store?.close().catch(() => {});
      }
    },
  };
}

/** The active holds on the packs the query names, as the gate prints them. */
export function holdsOfQuery(holds: readonly ReleaseHoldView[], query: ReleaseHoldQuery): AppliedHold[] {
  const packs = new Set(query.packs);
  return holds.filter(h => h.active && packs.has(h.pack)).map(appliedHold);
}

function appliedHold(hold: ReleaseHoldView): AppliedHold {
  // An accepted risk past its expiry holds again from that moment, saying what had been accepted.
  const expired = hold.clearedAs === 'risk' && hold.riskExpiresAt !== null;
  return {
    taskId: hold.taskId,
    title: hold.task.title,
    kind: hold.task.kind,
    state: hold.task.state,
    pack: hold.pack,
    why: expired
      ? `${hold.reason}; the risk accepted by ${hold.clearedBy} (${hold.clearReason}) expired at ${hold.riskExpiresAt}`
      : hold.reason,
    since: expired ? hold.riskExpiresAt! : hold.since,
    ownerLane: hold.task.ownerLane,
  };
}
