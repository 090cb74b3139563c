// The hosts' health checks and the auth host's discovery, from outside: the same at every layer.
import { test } from './pack.gen.ts';
import { expectAuthHostPublishes, expectHealthy, HEALTH_CHECKS } from './journey.ts';

for (const check of HEALTH_CHECKS) {
  test(`the ${check.host} host answers its health check`, async ({ api, pack }) => {
    await expectHealthy(api, pack, check);
  });
}

test('the auth host publishes discovery and signing keys', async ({ api, pack, env }) => {
  await expectAuthHostPublishes(api, pack, env.urls.authIssuer);
});
