import path from 'node:path';
import type { Catalogue } from '../src/catalogue/load.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../src/diagnostics/format.ts';
import { accountOf } from '../src/environment/accounts.ts';
import type { ResolvedEnvironment } from '../src/environment/resolve.ts';
import type { EnvValue } from '../src/schema/common.ts';
import { faultPossibleIn } from '../src/faults/faults.ts';
import { FaultSet, implementedFaults } from './fault-ids.ts';
import { DEFAULT_CORRELATION_HEADER } from './http/correlation.ts';
import { portOf } from './http/listen.ts';
import { parsePlatformSeed, type PlatformSeed, type SeedRecords } from './model/records.ts';
import { SESSION_TTL_S } from './model/sessions.ts';
import { stackShape, type LoginUi, type StackShape } from './shape.ts';

/** A problem with how the stack was asked to start (not with the catalogue): exit code 2. */
export class StackUsageError extends Error {
  override name = 'StackUsageError';
}

export type StackUser = {
  id: string;
  username: string;
  name: string;
  email: string;
  password: string;
  roles: string[];
};

/** Everything the servers need, resolved once at start from the catalogue and env vars. */
export type StackConfig = {
  env: ResolvedEnvironment;
  /** The requested fault ids, in the order asked (for messages and the ready answer). */
  faults: string[];
  faultSet: FaultSet;
  fingerprint: string;
  users: StackUser[];
  platform: PlatformSeed;
  clientSecret: string;
  /** The header that carries correlation ids: the environment's first `correlation_headers` entry. */
  correlationHeader: string;
  readyPath: string;
  /** The IdP's login pages: Keycloak's one form, or identifier-first, an interstitial, consent. */
  loginUi: LoginUi;
  /** Whether the shell shows who is signed in. */
  shellIdentity: StackShape['shellIdentity'];
  /** The IdP refuses authorization requests with an empty 403. */
  terseRefusals: boolean;
  /** How long the app's sessions last, in seconds. */
  sessionTtlS: number;
  /** The app keeps a per-session token in sessionStorage, and its pages need it. */
  sessionStorage: boolean;
  /** Who signs in: the app, or its front door as a reverse proxy would (see StackShape). */
  signIn: 'app' | 'proxy';
  /** The env var that moves each URL, to name in "port in use" messages. */
  urlEnvVars: { app?: string; api?: string; authIssuer?: string };
  /** The stack in deployment shape (a parity environment); undefined for the loopback stack. */
  deployment?: DeploymentShape;
};

/**
 * Where and how the stack runs in deployment shape: one TLS port for every host (the ingress), its
 * CA written where the run reads it, its configuration rendered as env files, a probe on plain HTTP.
 */
export type DeploymentShape = {
  /** Where the rendered ConfigMap and Secret go. */
  configDir: string;
  /** Where the CA generated at start is written (the environment's tls.ca_file). */
  caFile: string;
  /** The plain-HTTP loopback URL the readiness probe and the control endpoints answer on. */
  probeUrl: string;
  /** The notebooks host (the environment's urls.proxy). */
  notebooksUrl: string;
};

export function buildStackConfig(
  catalogue: Catalogue,
  resolved: ResolvedEnvironment,
  faults: string[],
  fingerprint: string,
  shape: StackShape = stackShape(),
): StackConfig {
  const env = reshaped(resolved, shape);
  if (env.kind === 'remote')
    throw new StackUsageError(
      `environment "${env.name}" is remote (deployed URLs): there is no stack to start for it; pick an embedded or parity environment`,
    );
  const unimplemented = faults.filter(id => !implementedFaults.has(id));
  if (unimplemented.length)
    throw new StackUsageError(
      `the reference stack cannot inject fault${unimplemented.length > 1 ? 's' : ''} ${unimplemented.join(', ')} yet ` +
        `(implemented: ${[...implementedFaults].join(', ')}); starting without it would let its pack pass for the wrong reason`,
    );
  const misplaced = faults.filter(id => !faultPossibleIn(catalogue.faults.get(id)!.value, env.kind));
  if (misplaced.length)
    throw new StackUsageError(
      `fault${misplaced.length > 1 ? 's' : ''} ${misplaced.join(', ')} exist${misplaced.length > 1 ? '' : 's'} only in a stack of kind ` +
        `${[...new Set(misplaced.flatMap(id => catalogue.faults.get(id)!.value.kinds!))].join(' or ')}; ` +
        `environment "${env.name}" is ${env.kind}: inject ${misplaced.length > 1 ? 'them' : 'it'} into a parity environment's stack`,
    );
  checkProxyUrls(env);
  const deployment = env.kind === 'parity' ? deploymentShape(catalogue.root, env) : undefined;

  const users = new Map<string, StackUser>();
  const seeds: SeedRecords[] = [];
  for (const seedId of env.seeds) {
    const seed = catalogue.seeds.get(seedId);
    // The catalogue cross-check already reports unknown seed ids; this guards a stack started on a partial catalogue.
    if (!seed)
      throw new StackUsageError(`environment "${env.name}" lists seed set "${seedId}", which is not in the catalogue`);
    for (const persona of seed.value.users) {
      // The environment's account for the persona, then the shape's user name (a stand-in deployment's).
      const user = accountOf(persona, env.identities);
      users.set(user.id, {
        id: user.id,
        username: shape.usernames.get(user.id) ?? user.username,
        name: user.name,
        email: user.email,
        roles: user.roles,
        password: env.secrets.get(user.passwordSecret),
      });
    }
    seeds.push({ records: withoutRecords(seed.value.records, shape.without), source: seed.source });
  }
  const { seed: platform, diagnostics } = parsePlatformSeed(seeds, new Set(users.keys()));
  if (diagnostics.length) throw new StackUsageError(seedProblems(diagnostics));

  if (!env.oidc.clientSecretName)
    throw new StackUsageError(
      `${env.file}: the stack's IdP registers the app as a confidential client; name its secret in oidc.client_secret`,
    );
  const descriptor = catalogue.environments.get(env.name)?.value;
  return {
    env,
    faults,
    faultSet: new FaultSet(faults),
    fingerprint,
    users: [...users.values()],
    platform,
    clientSecret: env.secrets.get(env.oidc.clientSecretName),
    correlationHeader: shape.correlationHeader ?? env.correlationHeaders[0] ?? DEFAULT_CORRELATION_HEADER,
    readyPath: env.stack!.readyPath,
    loginUi: shape.loginUi,
    shellIdentity: shape.shellIdentity,
    terseRefusals: shape.terseRefusals,
    sessionTtlS: shape.sessionTtlS ?? SESSION_TTL_S,
    sessionStorage: shape.sessionStorage,
    signIn: shape.signIn,
    urlEnvVars: {
      app: envVarOf(descriptor?.urls.app),
      api: envVarOf(descriptor?.urls.api),
      authIssuer: envVarOf(descriptor?.urls.authIssuer),
    },
    deployment,
  };
}

/**
 * A parity environment's stack: every host on https on one port (an ingress has one), a CA file to
 * write, a notebooks host and a probe URL. Anything else is refused before anything listens.
 */
function deploymentShape(root: string, env: ResolvedEnvironment): DeploymentShape {
  const problems: string[] = [];
  const urls = {
    'urls.app': env.urls.app,
    'urls.api': env.urls.api,
    'urls.auth_issuer': env.urls.authIssuer,
    'urls.proxy': env.urls.proxy,
  };
  for (const [field, url] of Object.entries(urls)) {
    if (!url)
      problems.push(
        `${field} is required: the stack in deployment shape serves the app, api, auth and notebooks hosts`,
      );
    else if (!url.startsWith('https://'))
      problems.push(`${field} ${url} must be https: the stack in deployment shape serves TLS only`);
  }
  const ports = new Set(Object.values(urls).flatMap(url => (url ? [portOf(new URL(url))] : [])));
  if (ports.size > 1) problems.push(`every URL must be on one port (the ingress's), not ${[...ports].join(' and ')}`);
  if (!env.tls)
    problems.push('tls.ca_file is required: where the stack writes the CA it generates, for the run to trust');
  if (!env.stack?.readyUrl?.startsWith('http://'))
    problems.push('stack.ready_url must be a plain-HTTP loopback URL: the probe a kubelet would use');
  if (problems.length)
    throw new StackUsageError(`environment "${env.name}" (${env.file}) is kind parity:\n  ${problems.join('\n  ')}`);
  return {
    configDir: path.join(root, '.packgate', 'stacks', env.name),
    caFile: env.tls!.caFile,
    probeUrl: env.stack!.readyUrl!,
    notebooksUrl: env.urls.proxy!,
  };
}

/** The seed's records less those the shape says the stand-in deployment lacks. */
function withoutRecords(records: SeedRecords['records'], without: ReadonlySet<string>): SeedRecords['records'] {
  if (!without.size) return records;
  return Object.fromEntries(
    Object.entries(records).map(([kind, list]) => [kind, list.filter(r => !without.has(`${kind}/${r.id}`))]),
  );
}

/** The environment with the app's sign-in paths the shape moves (the IdP registers the moved callback). */
function reshaped(env: ResolvedEnvironment, shape: StackShape): ResolvedEnvironment {
  if (!shape.loginPath && !shape.callbackPath) return env;
  return {
    ...env,
    oidc: {
      ...env.oidc,
      loginPath: shape.loginPath ?? env.oidc.loginPath,
      redirectUri: shape.callbackPath ? `${env.urls.app}${shape.callbackPath}` : env.oidc.redirectUri,
    },
  };
}

/**
 * The proxy routes by host and port, at the root of each host: an app or api URL with a path, or
 * both URLs on one host and port, could not be told apart, so they are refused before anything listens.
 */
function checkProxyUrls(env: ResolvedEnvironment): void {
  const problems: string[] = [];
  const hosts = Object.entries({ 'urls.app': env.urls.app, 'urls.api': env.urls.api }).flatMap(([field, url]) => {
    if (url === undefined) return [];
    const parsed = new URL(url);
    if (parsed.pathname !== '/' || parsed.search)
      problems.push(`${field} ${url} has a path: the platform proxy serves each host at its root; drop the path`);
    return [parsed.host];
  });
  if (hosts.length === 2 && hosts[0] === hosts[1])
    problems.push(
      `urls.app and urls.api are both ${hosts[0]}: the platform proxy routes by host and port, so give the api its own port or host name`,
    );
  if (problems.length)
    throw new StackUsageError(`environment "${env.name}" (${env.file}):\n  ${problems.join('\n  ')}`);
}

function seedProblems(diagnostics: readonly Diagnostic[]): string {
  return `the seed records cannot be loaded by the reference stack:\n${formatDiagnostics(diagnostics)}`;
}

function envVarOf(value: EnvValue | undefined): string | undefined {
  return value !== undefined && typeof value !== 'string' ? value.env : undefined;
}
