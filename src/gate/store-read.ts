import { errorLine } from '../diagnostics/first-line.ts';

/** How long a read may take before the store counts as unreadable (a server that never answers). */
export const STORE_READ_TIMEOUT_MS = 60_000;

/** What the gate reads from the queue store through one of its narrow interfaces (holds, manual verdicts). */
export type StoreSource<Query, Read> = {
  /** Names the source in problems, e.g. `queue store`. */
  readonly name: string;
  read(query: Query): Promise<Read>;
};

/** A read that could not be made: it blocks a release stage, so a failure never reads as an empty queue. */
export type UnreadStore = { store: null; reason: string };

/**
 * Reads once; a source that throws all the same, or does not answer in time, is a store that could
 * not be read: the gate waits for no store longer than that.
 */
export async function readOnce<Query, Read>(
  source: StoreSource<Query, Read>,
  query: Query,
  timeoutMs = STORE_READ_TIMEOUT_MS,
): Promise<Read | UnreadStore> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<UnreadStore>(resolve => {
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
