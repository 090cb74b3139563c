// What an ingress in front of every host owes on https: HSTS, and each host routed to its own service.
import { expect, test } from './pack.gen.ts';

for (const path of ['app-health', 'api-health'] as const) {
  test(`the ${path.replace('-health', '')} host answers https with Strict-Transport-Security`, async ({
    api,
    pack,
  }) => {
    const url = pack.url(path);
    expect(new URL(url).protocol, 'this check is about an https host').toBe('https:');
    const response = await api.get(url);
    expect(response.status()).toBe(200);
    const hsts = response.headers()['strict-transport-security'];
    expect(hsts, 'the answer carries Strict-Transport-Security').toBeDefined();
    const maxAge = Number(/max-age=(\d+)/.exec(hsts ?? '')?.[1] ?? 0);
    // A day is the least that protects a returning visitor; browsers' preload list asks a year.
    expect(maxAge, `HSTS max-age in "${hsts}"`).toBeGreaterThanOrEqual(86_400);
  });
}

test('each host is routed to its own service', async ({ api, pack }) => {
  const served = async (path: 'app-echo' | 'api-echo') => (await api.get(pack.url(path))).headers()['x-served-by'];
  expect(await served('app-echo'), 'the app host').toBe('app');
  expect(await served('api-echo'), 'the api host').toBe('api');
});
