import { createRedactor, type Redactor } from '../evidence/redact.ts';
import type { StoreOptions } from './queue-store.ts';
import type { SqlDatabase } from './sql.ts';

const DEFAULT_STALE_AFTER_MS = 30 * 60_000;

/**
 * What every repository of the store shares: the one SQL executor, the store's clock, and the
 * redactor that free text (titles, reasons, notes, packets, gate commands and reasons) passes before
 * it is stored, so a token pasted into a reason is kept as [REDACTED].
 */
export type StoreContext = {
  readonly db: SqlDatabase;
  readonly clock: StoreClock;
  readonly redact: Redactor;
};

export function createStoreContext(db: SqlDatabase, options: StoreOptions = {}): StoreContext {
  // Patterns only: the store knows no secret values, but a credential looks like one wherever it is.
  return { db, clock: new StoreClock(options), redact: createRedactor([]) };
}

/** The store's time: when a record was written, and when a silent session's holds went stale. */
export class StoreClock {
  readonly staleAfterMs: number;
  private readonly now: () => Date;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }

  stamp(): string {
    return this.now().toISOString();
  }

  /** Heartbeats before this are stale; ISO strings compare in time order. */
  staleCutoff(): string {
    return new Date(this.now().getTime() - this.staleAfterMs).toISOString();
  }

  isStale(heartbeatAt: string): boolean {
    return heartbeatAt < this.staleCutoff();
  }
}
