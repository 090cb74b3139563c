import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import type { Environment } from '../schema/environment.ts';
import type { SeedUser } from '../schema/seed.ts';

/**
 * Two personas an environment maps to one account (`grace: { username: ada.lovelace }`): every check
 * that one user may not do what another may (a member kept from an operator's pages, from another
 * user's records) would sign in as the same user on both sides, and prove nothing. A deployment with
 * one test account says so with `no_account_for`, which makes those checks not applicable, listed so.
 * Only the user names the file holds (literals, env var defaults) are compared; the seed's own
 * duplicates are the seed set's error.
 */
export function checkSharedAccounts(
  env: Partial<Environment>,
  users: readonly Partial<SeedUser>[],
  source: YamlSource,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byAccount = new Map<string, string>();
  for (const user of users) {
    if (!user.id || env.noAccountFor?.includes(user.id)) continue;
    const mapped = env.identities?.[user.id]?.username;
    const account = mapped === undefined ? user.username : typeof mapped === 'string' ? mapped : mapped.default;
    if (account === undefined) continue;
    const first = byAccount.get(account);
    if (first === undefined) {
      byAccount.set(account, user.id);
      continue;
    }
    if (mapped === undefined && env.identities?.[first]?.username === undefined) continue;
    const where = mapped === undefined ? first : user.id;
    const other = where === first ? user.id : first;
    const field = ['identities', where, 'username'];
    const value = env.identities?.[where]?.username;
    out.push(
      at(
        source,
        typeof value === 'object' ? [...field, 'default'] : field,
        'shared-account',
        `personas "${other}" and "${where}" both sign in as "${account}" here: a check that one may not do what the ` +
          'other may would sign in as the same user on both sides, and prove nothing',
        `give "${where}" a test account of its own; where the deployment has only one, say so: no_account_for: [${where}]`,
      ),
    );
  }
  return out;
}
