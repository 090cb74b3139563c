import { gateRules, runsByDefault, type GateRules } from '../catalogue/gate-rules.ts';
import type { Catalogue, Located } from '../catalogue/load.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import type { EnvValue, Layer, Stage } from '../schema/common.ts';
import type { Environment, IdentityCheck, LoginDriver } from '../schema/environment.ts';
import { localSecret } from './local-secrets.ts';

/** Set to 1 to let a descriptor that requires https point at a plain-HTTP stack (tests only; recorded in the verdict). */
export const ALLOW_HTTP_VAR = 'PACKGATE_ALLOW_HTTP';

/** An environment with every env var looked up: what fixtures, the stack and the reporter work with. */
export type ResolvedEnvironment = {
  name: string;
  stage: Stage;
  kind: Environment['kind'];
  /** The descriptor file, relative to the root. */
  file: string;
  urls: { app: string; authIssuer: string; api?: string; proxy?: string; accessLog?: string };
  oidc: {
    clientId: string;
    /** Name of the secret holding the app's client secret, when the environment shares it. */
    clientSecret?: string;
    redirectUri: string;
    loginPath: string;
    scopes: string[];
    login: LoginDriver;
    stepTimeoutMs: number;
  };
  layers: Layer[];
  seeds: string[];
  seedStrategy: Environment['seed_strategy'];
  /** Seed personas mapped to this environment's accounts, values looked up (see accountOf). */
  identities: Record<string, MappedAccount>;
  /** Where the app shows who is signed in. */
  identityCheck: IdentityCheck;
  /** For verify: where each record kind is listed (seed_check). */
  seedCheck: Environment['seed_check'];
  gate: GateRules;
  correlationHeaders: string[];
  packOverrides: Environment['overrides'];
  stack?: NonNullable<Environment['stack']>;
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

/** What an environment changes of a seed persona's account. */
export type MappedAccount = { username?: string; name?: string; email?: string; passwordSecret?: string };

/** An environment file's validated value, where it came from, and (when the YAML is at hand) where a field is. */
export type EnvironmentDescriptor = { file: string; value: Environment; line?: (fieldPath: string[]) => number };

export function resolveEnvironment(
  catalogue: Catalogue,
  name: string,
  processEnv: Env = process.env,
): ResolvedEnvironment {
  const located = catalogue.environments.get(name);
  if (!located)
    throw new PackgateError('ENV_UNKNOWN', `unknown environment "${name}"`, {
      hint:
        `known environments: ${[...catalogue.environments.keys()].join(', ') || '(none)'}; ` +
        `add ${catalogue.manifest.value.environments_dir}/${name}.yaml`,
    });
  return resolveDescriptor(catalogue.root, descriptorOf(located), processEnv);
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
  const allowHttpOverride = processEnv[ALLOW_HTTP_VAR] === '1';
  let insecureOverride = false;

  const value = (v: EnvValue | undefined, field: string): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    const fromEnv = processEnv[v.env];
    if (fromEnv) return fromEnv;
    if (v.default !== undefined) return v.default;
    problems.push(
      `${file}${line ? `:${line(field.split('.'))}` : ''} ${field}: ${v.env} is not set and there is no default; set ${v.env}`,
    );
    return undefined;
  };

  const url = (v: EnvValue | undefined, field: string): string | undefined => {
    const raw = value(v, field);
    if (raw === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      problems.push(`${file} ${field}: "${raw}" is not a URL`);
      return undefined;
    }
    if (parsed.protocol === 'http:' && !env.allow_http) {
      if (allowHttpOverride) insecureOverride = true;
      else
        problems.push(
          `${file} ${field}: ${raw} is plain HTTP and stage ${env.stage} requires https; ` +
            `use the https URL (${ALLOW_HTTP_VAR}=1 allows HTTP for tests against a local stack)`,
        );
    }
    return raw.replace(/\/+$/, '');
  };

  const app = url(env.urls.app, 'urls.app');
  const authIssuer = url(env.urls.auth_issuer, 'urls.auth_issuer');
  // A path is on the app's URL, so it moves with the app (a deployment serving its API at /api,
  // the embedded stack's log endpoint) when only the app's env var is set.
  const onApp = (v: EnvValue | undefined, field: string): string | undefined => {
    const raw = value(v, field);
    return raw?.startsWith('/') ? app && `${app}${raw.replace(/\/+$/, '')}` : url(v, field);
  };
  const api = onApp(env.urls.api, 'urls.api');
  const proxy = onApp(env.urls.proxy, 'urls.proxy');
  const accessLog = onApp(env.urls.access_log, 'urls.access_log');
  const clientId = value(env.oidc.client_id, 'oidc.client_id');
  const redirectUri = env.oidc.redirect_uri
    ? url(env.oidc.redirect_uri, 'oidc.redirect_uri')
    : app && `${app}${env.oidc.redirect_path}`;

  const identities: Record<string, MappedAccount> = {};
  for (const [persona, mapped] of Object.entries(env.identities)) {
    const at = (field: string) => `identities.${persona}.${field}`;
    identities[persona] = Object.fromEntries(
      Object.entries({
        username: value(mapped.username, at('username')),
        name: value(mapped.name, at('name')),
        email: value(mapped.email, at('email')),
        passwordSecret: mapped.password_secret,
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
    name: env.name,
    stage: env.stage,
    kind: env.kind,
    file,
    urls: { app: app!, authIssuer: authIssuer!, api, proxy, accessLog },
    oidc: {
      clientId: clientId!,
      clientSecret: env.oidc.client_secret,
      redirectUri: redirectUri!,
      loginPath: env.oidc.login_path,
      scopes: env.oidc.scopes,
      login: env.oidc.login,
      stepTimeoutMs: env.oidc.step_timeout_s * 1000,
    },
    layers: env.layers,
    seeds: env.seeds,
    seedStrategy: env.seed_strategy,
    identities,
    identityCheck: env.identity_check,
    seedCheck: env.seed_check,
    gate: gateRules(env),
    correlationHeaders: env.correlation_headers.map(h => h.toLowerCase()),
    packOverrides: env.overrides,
    stack: env.stack,
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
          { hint: `set the env var ${ref.env}` },
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
