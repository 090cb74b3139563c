import type { Catalogue } from '../src/catalogue/load.ts';
import type { ResolvedEnvironment } from '../src/environment/resolve.ts';
import type { EnvValue } from '../src/schema/common.ts';
import { implementedFaults } from './fault-ids.ts';

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

/** A tenant or project the shell shows as the user's context. */
export type ContextRecord = { id: string; name: string };

/** Everything the two servers need, resolved once at start from the catalogue and env vars. */
export type StackConfig = {
  env: ResolvedEnvironment;
  faults: string[];
  fingerprint: string;
  users: StackUser[];
  clientSecret: string;
  context: { tenant?: ContextRecord; project?: ContextRecord };
  readyPath: string;
  /** The env var that moves each URL, to name in "port in use" messages. */
  urlEnvVars: { app?: string; authIssuer?: string };
};

export function buildStackConfig(
  catalogue: Catalogue,
  env: ResolvedEnvironment,
  faults: string[],
  fingerprint: string,
): StackConfig {
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

  const users = new Map<string, StackUser>();
  const records = new Map<string, Record<string, unknown>[]>();
  for (const seedId of env.seeds) {
    const seed = catalogue.seeds.get(seedId);
    // The catalogue cross-check already reports unknown seed ids; this guards a stack started on a partial catalogue.
    if (!seed)
      throw new StackUsageError(`environment "${env.name}" lists seed set "${seedId}", which is not in the catalogue`);
    for (const user of seed.value.users)
      users.set(user.id, {
        id: user.id,
        username: user.username,
        name: user.name,
        email: user.email,
        roles: user.roles,
        password: env.secrets.get(user.password_secret),
      });
    for (const [kind, list] of Object.entries(seed.value.records))
      records.set(kind, [...(records.get(kind) ?? []), ...list]);
  }

  const descriptor = catalogue.environments.get(env.name)?.value;
  return {
    env,
    faults,
    fingerprint,
    users: [...users.values()],
    clientSecret: env.secrets.get('client-secret'),
    context: {
      tenant: contextRecord(records.get('tenants')?.[0]),
      project: contextRecord(records.get('projects')?.[0]),
    },
    readyPath: env.stack?.ready_path ?? '/__stack/ready',
    urlEnvVars: { app: envVarOf(descriptor?.urls.app), authIssuer: envVarOf(descriptor?.urls.auth_issuer) },
  };
}

function contextRecord(record: Record<string, unknown> | undefined): ContextRecord | undefined {
  if (!record || typeof record.id !== 'string') return undefined;
  return { id: record.id, name: typeof record.name === 'string' ? record.name : record.id };
}

function envVarOf(value: EnvValue | undefined): string | undefined {
  return value !== undefined && typeof value !== 'string' ? value.env : undefined;
}
