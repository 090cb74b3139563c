import type { SeedUser } from '../schema/seed.ts';
import type { MappedAccount } from './resolve.ts';

/**
 * A seed persona as this environment's account: the seed user with what the environment's
 * `identities:` maps (user name, display name, email, password secret). Roles stay the persona's.
 * Seeds stay the same for every environment; a deployment's test account is named in its descriptor.
 */
export function accountOf(user: SeedUser, identities: Readonly<Record<string, MappedAccount>>): SeedUser {
  const mapped = identities[user.id];
  if (!mapped) return user;
  return {
    ...user,
    username: mapped.username ?? user.username,
    name: mapped.name ?? user.name,
    email: mapped.email ?? user.email,
    passwordSecret: mapped.passwordSecret ?? user.passwordSecret,
  };
}
