// The hosts' health checks and the auth host's discovery, from outside: the same at every layer.
import { expect, refuses, test } from './pack.gen.ts';
import { expectAuthHostPublishes, expectHealthy, HEALTH_CHECKS } from './journey.ts';

for (const check of HEALTH_CHECKS) {
  test(`the ${check.host} host answers its health check`, async ({ api, pack }) => {
    await expectHealthy(api, pack, check);
  });
}

test('the auth host publishes discovery and signing keys', async ({ api, pack, env }) => {
  await expectAuthHostPublishes(api, pack, env.urls.authIssuer);
});

// What a deployment must refuse a visitor: the app itself. The same at every layer: a deploy that
// left a dev auth bypass on, or serves the shell to anyone, is a failed deploy.

test("the API refuses a visitor, with no user's data in the answer", refuses('api-visitor'), async ({ api, pack }) => {
  const refused = await api.get(pack.url('api-me'));
  expect(refused.status()).toBe(401);
  expect(await refused.text(), 'no account fields in the answer').not.toMatch(/"(username|email|roles)"/);
});

test(
  'the shell sends a visitor to sign in, serving nothing of itself',
  refuses('shell-visitor'),
  async ({ api, pack }) => {
    const refused = await api.get(pack.url('shell'));
    expect([302, 303], `HTTP ${refused.status()}`).toContain(refused.status());
    const to = new URL(refused.headers()['location'] ?? '', pack.url('shell'));
    expect(to.pathname, 'away from the shell, to sign in').not.toMatch(/^\/shell(\/|$)/);
    expect(refused.headers()['set-cookie'] ?? '', 'no session cookie for a visitor').not.toMatch(/session=[^;]/);
  },
);
