import path from 'node:path';
import { gateRules, runsByDefault, type GateRules } from '../catalogue/gate-rules.ts';
import type { Catalogue, Located } from '../catalogue/load.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { nearest } from '../diagnostics/nearest.ts';
import type { EnvValue } from '../schema/common.ts';
import type { Environment, MappedIdentity } from '../schema/environment.ts';
import { httpUrlProblem } from '../schema/http-url.ts';
import { localSecret } from './local-secrets.ts';

/** Set to 1 to let a descriptor that requires https point at a plain-HTTP stack (tests only; recorded in the verdict). */
export const ALLOW_HTTP_VAR = 'PACKGATE_ALLOW_HTTP';

/** Whether ALLOW_HTTP_VAR allows plain HTTP in `processEnv`: set to 1, nothing else. */
export function httpAllowedBy(processEnv: Record<string, string | undefined> = process.env): boolean {
  return processEnv[ALLOW_HTTP_VAR] === '1';
}

/** `T` with each value that may come from an env var (`EnvValue`) looked up. */
type LookedUp<T> = { [K in keyof T]: EnvValue extends Exclude<T[K], undefined> ? string : T[K] };

/** What an environment changes of a seed persona's account, its values looked up (see accountOf). */
export type MappedAccount = LookedUp<MappedIdentity>;

/**
 * The parsed environment with its values filled in: what fixtures, the stack and the reporter work
 * with. The same fields as the descriptor; only these differ: URLs, the client id and mapped accounts
 * are looked up in env vars (URLs written as paths put on the app's URL), the redirect URI is
 * known, the gate's rules and `runByDefault` have their stage's defaults, and `secrets` gives a
 * secret's value when asked for it.
 */
export type ResolvedEnvironment = Omit<
  Environment,
  'urls' | 'oidc' | 'identities' | 'gate' | 'runByDefault' | 'secrets' | 'stack' | 'tls'
> & {
  /** The descriptor file, relative to the root. */
  file: string;
  urls: LookedUp<Environment['urls']>;
  oidc: LookedUp<Environment['oidc']> & {
    redirectUri: string;
    /**
     * The issuer identifier exactly as the descriptor gives it, a trailing slash kept (as Auth0 names
     * its issuers): what the IdP's discovery `issuer` and its tokens' `iss` must equal. Paths go on
     * urls.authIssuer, the same URL without the slash.
     */
    issuer: string;
  };
  identities: Record<string, MappedAccount>;
  stack?: LookedUp<NonNullable<Environment['stack']>>;
  /** The CA file the run trusts for this environment, as an absolute path. */
  tls?: { caFile: string };
  gate: GateRules;
  runByDefault: boolean;
  /** Plain-HTTP URLs accepted only because PACKGATE_ALLOW_HTTP=1 was set. */
  insecureOverride: boolean;
  secrets: SecretResolver;
};

export type SecretResolver = {
  /** The secret's value; throws a PackgateError naming the env var to set. */
  get(name: string): string;
  /** Every secret value that can be resolved now, for redaction. */
  knownValues(): string[];
  /** Names with the env var each is read from. */
  names(): Array<{ name: string; env: string }>;
};

type Env = Record<string, string | undefined>;

/** An environment file's validated value, where it came from, and (when the YAML is at hand) where a field is. */
export type EnvironmentDescriptor = { file: string; value: Environment; line?: (fieldPath: string[]) => number };

export function resolveEnvironment(
  catalogue: Catalogue,
  name: string,
  processEnv: Env = process.env,
): ResolvedEnvironment {
  const located = catalogue.environments.get(name);
  if (!located) throw unknownEnvironment(catalogue, name);
  return resolveDescriptor(catalogue.root, descriptorOf(located), processEnv);
}

/** An environment the catalogue does not have: the nearest name, or the known ones, and where to add it. */
export function unknownEnvironment(catalogue: Catalogue, name: string): PackgateError {
  const known = [...catalogue.environments.keys()];
  // The descriptor's file given for its name (`env check environments/acme.yaml`): before, the hint
  // was to add environments/environments/acme.yaml.yaml.
  const base = path.basename(name).replace(/\.ya?ml$/, '');
  const file = base !== name;
  const near = file && catalogue.environments.has(base) ? base : nearest(base, known);
  return new PackgateError('ENV_UNKNOWN', `unknown environment "${name}"`, {
    hint: near
      ? `did you mean "${near}"?${file ? ' an environment is named by its name, not its file' : ''}`
      : `known environments: ${known.join(', ') || '(none)'}; add ${catalogue.manifest.value.environments_dir}/${base}.yaml`,
  });
}

export function descriptorOf({ value, source }: Located<Environment>): EnvironmentDescriptor {
  return { file: source.file, value, line: fieldPath => source.locate(fieldPath).line };
}

/** Looks up every env var the descriptor names; throws one PackgateError listing every problem. */
export function resolveDescriptor(
  root: string,
  { value: env, file, line }: EnvironmentDescriptor,
  processEnv: Env = process.env,
): ResolvedEnvironment {
  const problems: string[] = [];
  const allowHttpOverride = httpAllowedBy(processEnv);
  let insecureOverride = false;

  /** `environments/x.yaml:7 urls.app`: where a field is written. */
  const at = (field: string) => `${file}${line ? `:${line(field.split('.'))}` : ''} ${field}`;
  const envVar = (name: string): string | undefined => envValue(processEnv, name);
  /** Where a value came from, when an env var gave it: what to correct is the variable, not the file. */
  const from = (v: EnvValue | undefined) => (typeof v === 'object' && envVar(v.env) ? ` (from ${v.env})` : '');

  const value = (v: EnvValue | undefined, field: string): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    const fromEnv = envVar(v.env);
    if (fromEnv) return fromEnv;
    if (v.default !== undefined) return v.default;
    problems.push(`${at(field)}: ${v.env} ${unsetOrEmpty(processEnv, v.env)} and there is no default; set ${v.env}`);
    return undefined;
  };

  /** A URL field's value, checked: a URL, and https where the stage requires it. */
  const checkedUrl = (raw: string | undefined, v: EnvValue | undefined, field: string): string | undefined => {
    if (raw === undefined) return undefined;
    const refused = httpUrlProblem(raw, 'https', field === 'oidc.redirect_uri' ? 'redirect' : 'base');
    if (refused) {
      problems.push(`${at(field)}: "${raw}"${from(v)} ${refused.problem}${refused.fix ? `; ${refused.fix}` : ''}`);
      return undefined;
    }
    if (new URL(raw).protocol === 'http:' && !env.allowHttp) {
      if (allowHttpOverride) insecureOverride = true;
      else
        problems.push(
          `${at(field)}: ${raw}${from(v)} is plain HTTP and stage ${env.stage} requires https; ` +
            `use the https URL (${ALLOW_HTTP_VAR}=1 allows HTTP for tests against a local stack)`,
        );
    }
    return raw.replace(/\/+$/, '');
  };
  const url = (v: EnvValue | undefined, field: string) => checkedUrl(value(v, field), v, field);

  const app = url(env.urls.app, 'urls.app');
  // The issuer as written is its identifier, a trailing slash included (Auth0's `https://<domain>/`);
  // urls.authIssuer, without it, is the base its paths go on.
  const issuer = value(env.urls.authIssuer, 'urls.auth_issuer');
  const authIssuer = checkedUrl(issuer, env.urls.authIssuer, 'urls.auth_issuer');
  // A path is on the app's URL, so it moves with the app (a deployment serving its API at /api,
  // the embedded stack's log endpoint) when only the app's env var is set.
  const onApp = (v: EnvValue | undefined, field: string): string | undefined => {
    const raw = value(v, field);
    return raw?.startsWith('/') ? app && `${app}${raw.replace(/\/+$/, '')}` : checkedUrl(raw, v, field);
  };
  const api = onApp(env.urls.api, 'urls.api');
  const proxy = onApp(env.urls.proxy, 'urls.proxy');
  const accessLog = onApp(env.urls.accessLog, 'urls.access_log');
  const clientId = value(env.oidc.clientId, 'oidc.client_id');
  const redirectUri = env.oidc.redirectUri
    ? url(env.oidc.redirectUri, 'oidc.redirect_uri')
    : app && `${app}${env.oidc.redirectPath}`;

  // A probe, not a page users reach: plain HTTP on loopback is what a kubelet uses, on any stage.
  const readyUrl = value(env.stack?.readyUrl, 'stack.ready_url')?.replace(/\/+$/, '');
  const readyRefused = readyUrl ? httpUrlProblem(readyUrl, 'http') : undefined;
  if (readyRefused)
    problems.push(
      `${at('stack.ready_url')}: "${readyUrl}"${from(env.stack?.readyUrl)} ${readyRefused.problem}` +
        (readyRefused.fix ? `; ${readyRefused.fix}` : ''),
    );
  const stack = env.stack && { ...env.stack, readyUrl };
  const caFile = env.tls && value(env.tls.caFile, 'tls.ca_file');
  const tls = caFile ? { caFile: path.resolve(root, caFile) } : undefined;

  const identities: Record<string, MappedAccount> = {};
  for (const [persona, mapped] of Object.entries(env.identities)) {
    const at = (field: string) => `identities.${persona}.${field}`;
    identities[persona] = Object.fromEntries(
      Object.entries({
        username: value(mapped.username, at('username')),
        name: value(mapped.name, at('name')),
        email: value(mapped.email, at('email')),
        passwordSecret: mapped.passwordSecret,
      }).filter(([, v]) => v !== undefined),
    );
  }

  if (problems.length)
    throw new PackgateError(
      'ENV_VALUE_MISSING',
      `environment "${env.name}" cannot be resolved:\n  ${problems.join('\n  ')}`,
      { hint: 'set or correct the values named above (README: "Environments")' },
    );

  return {
    ...env,
    file,
    urls: { app: app!, authIssuer: authIssuer!, api, proxy, accessLog },
    oidc: { ...env.oidc, clientId: clientId!, redirectUri: redirectUri!, issuer: issuer! },
    identities,
    stack,
    tls,
    gate: gateRules(env),
    runByDefault: runsByDefault(env),
    insecureOverride,
    secrets: secretResolver(root, env, file, processEnv),
  };
}

/** Just the secrets of an environment, resolvable even when its URLs are not (the reporter redacts with them). */
export function environmentSecrets(
  catalogue: Catalogue,
  name: string,
  processEnv: Env = process.env,
): SecretResolver | undefined {
  const located = catalogue.environments.get(name);
  return located && secretResolver(catalogue.root, located.value, located.source.file, processEnv);
}

function secretResolver(root: string, env: Environment, file: string, processEnv: Env): SecretResolver {
  const lookup = (name: string): string | undefined => {
    const ref = env.secrets[name];
    if (!ref) return undefined;
    return processEnv[ref.env] || (ref.generate ? localSecret(root, ref.env) : undefined);
  };
  return {
    get(name) {
      const ref = env.secrets[name];
      if (!ref)
        throw new PackgateError('SECRET_MISSING', `${file}: environment "${env.name}" defines no secret "${name}"`, {
          hint: `add it under secrets: ${name}: { env: SOME_ENV_VAR }`,
        });
      const found = lookup(name);
      if (!found)
        throw new PackgateError(
          'SECRET_MISSING',
          `${file}: secret "${name}" of environment "${env.name}" is not available`,
          {
            hint:
              processEnv[ref.env] === undefined
                ? `set the env var ${ref.env}`
                : `${ref.env} ${unsetOrEmpty(processEnv, ref.env)}: give it the secret's value`,
          },
        );
      return found;
    },
    knownValues: () =>
      Object.keys(env.secrets)
        .map(lookup)
        .filter((v): v is string => !!v),
    names: () => Object.entries(env.secrets).map(([name, ref]) => ({ name, env: ref.env })),
  };
}

/**
 * An env var's value without the space or line break around it, undefined when that leaves nothing:
 * `$(cat file)`, a Secret made with `echo` (not -n) or a pasted CI variable ends in "\n", which no URL,
 * client id or user name means; kept, it went into every URL the packs build
 * (`https://acme.example/\n/api`) and the redirect URI the IdP was asked for. Secrets are read as
 * they are (secretResolver).
 */
export function envValue(processEnv: Env, name: string): string | undefined {
  return processEnv[name]?.trim() || undefined;
}

/**
 * `is not set`, or `is set but empty` for a variable that is there with nothing in it: a CI secret the
 * job cannot read (`${{ secrets.X }}` on a fork's pull request) is an empty variable, and "not set"
 * sent its reader to a workflow that sets it.
 */
export function unsetOrEmpty(processEnv: Env, name: string): string {
  return processEnv[name] === undefined ? 'is not set' : 'is set but empty (a CI secret the job cannot read is empty)';
}
