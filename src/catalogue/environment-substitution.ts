import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import type { EnvValue } from '../schema/common.ts';
import { URL_NAMES, type Environment } from '../schema/environment.ts';
import { fileName } from '../schema/renamed.ts';

/** `${VAR}`, `${VAR:-default}`, `${VAR-default}`: a shell's (docker-compose's, Helm's env) substitution. */
const BRACED = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-(.*))?\}$/s;
/** `$VAR` alone. */
const BARE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** Whether a descriptor's literal is written as a shell substitution, which packgate never expands. */
export function looksSubstituted(literal: string): boolean {
  return literal.includes('${') || BARE.test(literal);
}

/**
 * A value written `"${ACME_CLIENT_ID:-acme-web}"` (as docker-compose and Helm write one) is a
 * literal to packgate: the client id was that text, a user name `$ACME_ADA_USERNAME`, and a URL "is
 * not a URL" with no word of why. Each is refused where it is written, with the `{ env:, default: }`
 * that says what was meant; in a default too (`default: ${OTHER}`), where nothing is expanded either.
 */
export function checkShellSubstitutions(env: Partial<Environment>, source: YamlSource): Diagnostic[] {
  const fields: Array<[PropertyKey[], EnvValue | undefined]> = [
    ...Object.entries(env.urls ?? {}).map(([key, value]): [PropertyKey[], EnvValue | undefined] => [
      ['urls', fileName(URL_NAMES, key)],
      value,
    ]),
    [['oidc', 'client_id'], env.oidc?.clientId],
    [['oidc', 'redirect_uri'], env.oidc?.redirectUri],
    ...Object.entries(env.identities ?? {}).flatMap(([persona, mapped]) =>
      (['username', 'name', 'email'] as const).map((key): [PropertyKey[], EnvValue | undefined] => [
        ['identities', persona, key],
        mapped[key],
      ]),
    ),
    [['stack', 'ready_url'], env.stack?.readyUrl],
    [['tls', 'ca_file'], env.tls?.caFile],
  ];
  const out: Diagnostic[] = [];
  for (const [field, value] of fields) {
    const literal = typeof value === 'string' ? value : value?.default;
    if (!literal || !looksSubstituted(literal)) continue;
    const where = typeof value === 'string' ? field : [...field, 'default'];
    out.push(
      at(
        source,
        where,
        'shell-substitution',
        `"${literal}" is taken as it is written: packgate expands no $VAR or \${VAR}`,
        typeof value === 'string' ? meant(literal) : 'write the default as a literal value: a value reads one env var',
      ),
    );
  }
  return out;
}

/** The `{ env:, default: }` a substitution means, when it is one variable with a literal default. */
function meant(literal: string): string {
  const [, name, fallback] = literal.match(BRACED) ?? literal.match(BARE) ?? [];
  if (!name || fallback?.includes('$'))
    return 'read an env var as { env: VAR_NAME, default: <a literal value> }: a value reads one env var';
  return `write { env: ${name}${fallback ? `, default: ${JSON.stringify(fallback)}` : ''} } to read ${name}`;
}
