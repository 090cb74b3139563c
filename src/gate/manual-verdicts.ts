import type { ManualRead } from '../schema/verdict.ts';
import { readOnce, type StoreSource } from './store-read.ts';

export type { ManualRead, RecordedManual } from '../schema/verdict.ts';

/** Which recorded verdicts a run asks for: those of the environment's packs that have manual checks. */
export type ManualVerdictQuery = { environment: string; packs: string[] };

/**
 * Where a gate reads the recorded manual verdicts: the one interface between the gate and the
 * queue store for them, as release-holds.ts is for holds. `read` answers the latest verdict per
 * pack and check; whether it still counts is the gate's to judge, at its own time.
 */
export type ManualVerdictSource = StoreSource<ManualVerdictQuery, ManualRead>;

/** Reads the verdicts once, within STORE_READ_TIMEOUT_MS (see store-read.ts). */
export function readManualVerdicts(
  source: ManualVerdictSource,
  query: ManualVerdictQuery,
  timeoutMs?: number,
): Promise<ManualRead> {
  return readOnce(source, query, timeoutMs);
}
