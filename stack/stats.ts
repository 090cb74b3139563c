/**
 * Counters the framework's own tests read over HTTP (GET /__stack/stats) to prove that a journey
 * really signed in at the IdP rather than riding on a reused session, and that workers got app
 * sessions of their own.
 */
export class StackStats {
  readonly #interactiveLogins = new Counter();
  readonly #appSessions = new Counter();

  /** The IdP's sign-in form was submitted and accepted. */
  recordInteractiveLogin(userId: string): void {
    this.#interactiveLogins.add(userId);
  }

  /** The app's callback created a session (after an interactive sign-in or a single sign-on). */
  recordAppSession(userId: string): void {
    this.#appSessions.add(userId);
  }

  snapshot(): Record<'interactiveLogins' | 'appSessions', { total: number; byUser: Record<string, number> }> {
    return { interactiveLogins: this.#interactiveLogins.snapshot(), appSessions: this.#appSessions.snapshot() };
  }
}

class Counter {
  #total = 0;
  readonly #byUser = new Map<string, number>();

  add(userId: string): void {
    this.#total += 1;
    this.#byUser.set(userId, (this.#byUser.get(userId) ?? 0) + 1);
  }

  snapshot(): { total: number; byUser: Record<string, number> } {
    return { total: this.#total, byUser: Object.fromEntries(this.#byUser) };
  }
}
