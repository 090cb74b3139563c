import type { Stage } from '../schema/common.ts';
import type { QueueRead } from '../schema/verdict.ts';
import { readOnce, type StoreSource } from './store-read.ts';

export type { AppliedHold, QueueRead } from '../schema/verdict.ts';

/** Which holds a run asks for: those on the packs its environment runs. */
export type ReleaseHoldQuery = {
  environment: string;
  stage: Stage;
  /** The packs the environment runs (its excluded ones are not among them). */
  packs: string[];
};

/**
 * Where a release gate reads the holds on its packs: the one interface between the gate and the
 * queue for them, as gate/sink.ts is for finished runs. The gate knows nothing of what is behind
 * it. `read` never throws: a store it cannot read comes back as `{ store, reason }`, which blocks a
 * release stage, so a failure can never read as an empty queue.
 */
export type ReleaseHoldSource = StoreSource<ReleaseHoldQuery, QueueRead>;

/** Reads the holds once, within STORE_READ_TIMEOUT_MS (see store-read.ts). */
export function readHolds(source: ReleaseHoldSource, query: ReleaseHoldQuery, timeoutMs?: number): Promise<QueueRead> {
  return readOnce(source, query, timeoutMs);
}
