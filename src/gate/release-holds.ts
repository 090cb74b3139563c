import { errorLine } from '../diagnostics/first-line.ts';
import type { Stage } from '../schema/common.ts';
import type { QueueRead } from '../schema/verdict.ts';

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
export type ReleaseHoldSource = {
  /** Names the source in problems, e.g. `queue store`. */
  readonly name: string;
  read(query: ReleaseHoldQuery): Promise<QueueRead>;
};

/** How long a read may take before the store counts as unreadable (a server that never answers). */
export const HOLDS_READ_TIMEOUT_MS = 60_000;

/**
 * Reads once; a source that throws all the same, or does not answer in time, is a store that could
 * not be read: the gate waits for no store longer than that.
 */
export async function readHolds(
  source: ReleaseHoldSource,
  query: ReleaseHoldQuery,
  timeoutMs = HOLDS_READ_TIMEOUT_MS,
): Promise<QueueRead> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<QueueRead>(resolve => {
    timer = setTimeout(
      () => resolve({ store: null, reason: `${source.name}: no answer within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([source.read(query), late]);
  } catch (error) {
    return { store: null, reason: `${source.name}: ${errorLine(error)}` };
  } finally {
    clearTimeout(timer);
  }
}
