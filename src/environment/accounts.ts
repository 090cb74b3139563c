import type { SeedUser } from '../schema/seed.ts';
import type { MappedAccount, ResolvedEnvironment } from './resolve.ts';

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

/**
 * Where the descriptor maps other personas to the deployment's accounts but not this one, the user
 * name tried is the seed's: likely the mistake, so said with what to add (where it maps none, the
 * seed's names are the accounts', and nothing is said).
 */
export function unmappedPersona(env: ResolvedEnvironment, user: SeedUser): string {
  const mapped = Object.keys(env.identities);
  if (!mapped.length || mapped.includes(user.id)) return '';
  return (
    ` ("${user.username}" is the seed's user name: identities: in ${env.file} maps ${mapped.join(', ')} but not ` +
    `${user.id}; add ${user.id}: { username: <its account here> })`
  );
}
