import type { AppliedHold, ReleaseHoldQuery, ReleaseHoldSource } from '../gate/release-holds.ts';
import { readConfiguredStore } from '../store/read-configured-store.ts';
import type { ReleaseHoldView } from '../store/release-hold-schema.ts';
import type { ProjectManifest } from '../schema/project.ts';

type Env = Record<string, string | undefined>;

/**
 * The queue store as the release holds' source, read once (see readConfiguredStore) for the holds
 * that hold now on the packs the run's environment runs. A store file not created yet is an empty
 * queue (the gate-run sink creates it when it records the run). `manifest`: packgate.yaml as the
 * gate validated it, else read again.
 */
export function storeHoldSource(root: string, env: Env = process.env, manifest?: ProjectManifest): ReleaseHoldSource {
  return {
    name: 'queue store',
    read: query =>
      readConfiguredStore<{ holds: AppliedHold[]; note?: string }>(
        root,
        env,
        async store => ({ holds: holdsOfQuery(await store.releaseHolds({ activeOnly: true }), query) }),
        { holds: [], note: 'the store file does not exist yet: an empty queue' },
        manifest,
      ),
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
