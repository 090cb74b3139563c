import crypto from 'node:crypto';

/** Where the app's pages keep the token: this key in sessionStorage, on the app's origin. */
export const SESSION_STORAGE_KEY = 'gpuaas_session_token';

/**
 * The per-session token of a stack shaped like an SPA that keeps its session in the browser's
 * sessionStorage: an HMAC of the session id under a key made at start, so it is bound to one session,
 * differs for each, and can be neither guessed nor derived from the cookie. Only the callback hands
 * it out; pages carry its SHA-256, which their script compares with what the tab holds.
 */
export class SessionStorageTokens {
  readonly #key = crypto.randomBytes(32);

  tokenFor(sessionId: string): string {
    return crypto.createHmac('sha256', this.#key).update(sessionId).digest('base64url');
  }

  /** The token's SHA-256 in hex, as the page's Web Crypto check computes it. */
  digestFor(sessionId: string): string {
    return crypto.createHash('sha256').update(this.tokenFor(sessionId)).digest('hex');
  }
}
