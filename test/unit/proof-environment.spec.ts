import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { listenRange } from '../../src/net/free-port.ts';
import { proofEnvironment } from '../../src/review/regression-run.ts';
import { REPO } from '../helpers/temp-project.ts';

const catalogue = loadCatalogueOrThrow(REPO);
const portOf = (url: string | undefined) => new URL(url!).port;

test("a proof moves the embedded stack's loopback URLs to free ports, one each, and fixes its generated secrets", async () => {
  const { env, secretValues } = await proofEnvironment(catalogue, 'local', {});
  const urls = [env.PACKGATE_LOCAL_APP_URL, env.PACKGATE_LOCAL_API_URL, env.PACKGATE_LOCAL_ISSUER_URL];
  expect(new Set(urls.map(portOf)).size).toBe(3);
  expect(urls.map(portOf)).not.toContain('4410');
  expect(urls.map(portOf)).not.toContain('4411');
  expect(urls.map(portOf)).not.toContain('4412');
  // Below the kernel's ephemeral range: no connection made while the first run goes on takes one
  // as its source port before the second run's stack listens on it.
  const [low, high] = listenRange();
  for (const port of urls.map(portOf).map(Number)) {
    expect(port).toBeGreaterThanOrEqual(low);
    expect(port).toBeLessThan(high);
  }
  expect(env.PACKGATE_LOCAL_ISSUER_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/realms\/gpuaas$/);
  expect(secretValues).toContain(env.PACKGATE_LOCAL_USER_PASSWORD);
});

test('every loopback form moves, a URL elsewhere stays', async () => {
  const { env } = await proofEnvironment(catalogue, 'local', {
    PACKGATE_LOCAL_APP_URL: 'http://127.0.0.2:4310',
    PACKGATE_LOCAL_API_URL: 'http://[::1]:4312',
    PACKGATE_LOCAL_ISSUER_URL: 'http://idp.example:4311/realms/gpuaas',
  });
  expect(env.PACKGATE_LOCAL_APP_URL).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
  expect(portOf(env.PACKGATE_LOCAL_APP_URL)).not.toBe('4310');
  expect(env.PACKGATE_LOCAL_API_URL).toMatch(/^http:\/\/\[::1\]:\d+$/);
  expect(portOf(env.PACKGATE_LOCAL_API_URL)).not.toBe('4312');
  expect(env.PACKGATE_LOCAL_ISSUER_URL).toBe('http://idp.example:4311/realms/gpuaas');
});

test('a stack in deployment shape keeps its hosts on one ingress port, and its probe moves with it', async () => {
  const { env } = await proofEnvironment(catalogue, 'parity', {});
  const hosts = [
    env.PACKGATE_PARITY_APP_URL,
    env.PACKGATE_PARITY_API_URL,
    env.PACKGATE_PARITY_ISSUER_URL,
    env.PACKGATE_PARITY_NOTEBOOKS_URL,
  ];
  expect(hosts.map(url => new URL(url!).hostname)).toEqual([
    'app.gpuaas.localhost',
    'api.gpuaas.localhost',
    'auth.gpuaas.localhost',
    'notebooks.gpuaas.localhost',
  ]);
  const ingress = new Set(hosts.map(portOf));
  expect(ingress.size).toBe(1);
  expect([...ingress][0]).not.toBe('4420');
  expect(env.PACKGATE_PARITY_PROBE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(portOf(env.PACKGATE_PARITY_PROBE_URL)).not.toBe('4429');
  expect(portOf(env.PACKGATE_PARITY_PROBE_URL)).not.toBe([...ingress][0]);
});
