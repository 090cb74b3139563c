import crypto from 'node:crypto';

/**
 * Server-side state keyed by a random cookie value: the browser holds only an opaque id, so
 * nothing it stores (or a trace records) can be replayed as a token elsewhere.
 */
export class ExpiringStore<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  /** Stores the value under a new random id and returns the id. */
  add(value: T): string {
    this.#sweep();
    const id = crypto.randomBytes(32).toString('base64url');
    this.#entries.set(id, { value, expiresAt: Date.now() + this.ttlMs });
    return id;
  }

  get(id: string | undefined): T | undefined {
    if (!id) return undefined;
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry.value;
  }

  /** Returns and removes: a pending login is good for exactly one callback, right or wrong. */
  take(id: string | undefined): T | undefined {
    const value = this.get(id);
    if (id) this.#entries.delete(id);
    return value;
  }

  delete(id: string | undefined): void {
    if (id) this.#entries.delete(id);
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(id);
  }
}
