import { errorLine } from '../diagnostics/first-line.ts';
import type { ManualRead } from '../schema/verdict.ts';
import { HOLDS_READ_TIMEOUT_MS } from './release-holds.ts';

export type { ManualRead, RecordedManual } from '../schema/verdict.ts';

/** Which recorded verdicts a run asks for: those of the environment's packs that have manual checks. */
export type ManualVerdictQuery = { environment: string; packs: string[] };

/**
 * Where a gate reads the recorded manual verdicts: the one interface between the gate and the
 * queue store for them, as release-holds.ts is for holds. `read` answers the latest verdict per
 * pack and check; whether it still counts is the gate's to judge, at its own time.
 */
export type ManualVerdictSource = {
  readonly name: string;
  read(query: ManualVerdictQuery): Promise<ManualRead>;
};

/** Reads once; a source that throws, or does not answer in time, is a store that could not be read. */
export async function readManualVerdicts(
  source: ManualVerdictSource,
  query: ManualVerdictQuery,
  timeoutMs = HOLDS_READ_TIMEOUT_MS,
): Promise<ManualRead> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ManualRead>(resolve => {
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
