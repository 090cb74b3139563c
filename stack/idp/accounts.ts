import crypto from 'node:crypto';
import type { Account } from 'oidc-provider';
import type { StackUser } from '../config.ts';

/** The IdP's users: the seed users, signing in with their username as Keycloak does. */
export class Accounts {
  readonly #byId: Map<string, StackUser>;
  readonly #byUsername: Map<string, StackUser>;

  constructor(users: StackUser[]) {
    this.#byId = new Map(users.map(u => [u.id, u]));
    // Keycloak matches usernames case-insensitively.
    this.#byUsername = new Map(users.map(u => [u.username.toLowerCase(), u]));
  }

  /** The user these credentials belong to, or undefined; compares in constant time per candidate. */
  authenticate(username: string, password: string): StackUser | undefined {
    const user = this.#byUsername.get(username.trim().toLowerCase());
    const expected = user?.password ?? '';
    const ok = safeEqual(password, expected);
    return user && ok ? user : undefined;
  }

  /** The account oidc-provider asks for by subject; claims are released per granted scope. */
  find(sub: string): Account | undefined {
    const user = this.#byId.get(sub);
    if (!user) return undefined;
    return {
      accountId: user.id,
      claims: () => ({
        sub: user.id,
        name: user.name,
        preferred_username: user.username,
        email: user.email,
        email_verified: true,
        roles: user.roles,
      }),
    };
  }
}

function safeEqual(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never throws and length does not leak.
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b) && expected.length > 0;
}
