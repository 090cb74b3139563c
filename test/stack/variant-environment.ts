import { resolveDescriptor } from '../../src/environment/resolve.ts';
import { environmentSchema, type LoginDriver } from '../../src/schema/environment.ts';
import type { SeedUser } from '../../src/schema/seed.ts';
import type { RunningStack } from './start-stack.ts';

/** Ada as the seed has her, for the fixtures' sign-in. */
export const ADA: SeedUser = {
  id: 'ada',
  username: 'ada',
  name: 'Ada Lovelace',
  email: 'ada@example.test',
  passwordSecret: 'user-password',
  roles: [],
};

/**
 * A descriptor for a running stack in another shape, as a team pointing packgate at its own
 * deployment would write it (remote, verify), resolved as the fixtures see it.
 */
export function environmentFor(
  stack: Pick<RunningStack, 'appUrl' | 'apiUrl' | 'issuerUrl'>,
  login: LoginDriver = { driver: 'keycloak' },
  stepTimeoutS = 5,
) {
  const value = environmentSchema.parse({
    name: 'variant',
    stage: 'dev',
    kind: 'remote',
    urls: { app: stack.appUrl, api: stack.apiUrl, auth_issuer: stack.issuerUrl },
    allow_http: true,
    oidc: { client_id: 'gpuaas-app', login, step_timeout_s: stepTimeoutS },
    secrets: { 'user-password': { env: 'UNUSED_IN_THIS_TEST' } },
    layers: ['remote'],
    seed_strategy: 'verify',
  });
  return resolveDescriptor(process.cwd(), { file: 'environments/variant.yaml', value });
}
