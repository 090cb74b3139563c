/**
 * Counters the framework's own tests read over HTTP (GET /__stack/stats) to prove that a journey
 * really signed in at the IdP rather than riding on a reused session.
 */
export class StackStats {
  #total = 0;
  readonly #byUser = new Map<string, number>();

  recordInteractiveLogin(userId: string): void {
    this.#total += 1;
    this.#byUser.set(userId, (this.#byUser.get(userId) ?? 0) + 1);
  }

  snapshot(): { interactiveLogins: { total: number; byUser: Record<string, number> } } {
    return { interactiveLogins: { total: this.#total, byUser: Object.fromEntries(this.#byUser) } };
  }
}
