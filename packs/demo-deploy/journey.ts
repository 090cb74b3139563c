import { expect, type Pack } from './pack.gen.ts';
import type { Api } from '../../fixtures/api.ts';

/** The hosts' health checks: the named path, and the status word a healthy host answers with. */
export const HEALTH_CHECKS = [
  { host: 'app', path: 'app-health', healthy: /^(ok|UP)$/ },
  { host: 'API', path: 'api-health', healthy: /^(ok|UP)$/ },
  { host: 'auth', path: 'auth-health', healthy: /^(ok|UP)$/ },
] as const;

export async function expectHealthy(api: Api, pack: Pack, check: (typeof HEALTH_CHECKS)[number]): Promise<void> {
  const url = pack.url(check.path);
  const response = await api.get(url);
  expect(response.status(), `the ${check.host} host's health check ${url}`).toBe(200);
  const { status } = (await response.json()) as { status?: string };
  expect(status, `the ${check.host} host reports itself healthy`).toMatch(check.healthy);
}

/** The auth host publishes discovery for its issuer and at least one signing key. */
export async function expectAuthHostPublishes(api: Api, pack: Pack, issuer: string): Promise<void> {
  const discovery = await api.json<{ issuer: string; jwks_uri: string }>(pack.url('auth-discovery'));
  expect(discovery.issuer).toBe(issuer);
  const { keys } = await api.json<{ keys: unknown[] }>(discovery.jwks_uri);
  expect(keys.length, 'the IdP publishes a signing key').toBeGreaterThan(0);
}
