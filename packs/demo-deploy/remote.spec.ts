// The deployed hosts from outside: health, discovery, and the login redirect a visitor gets.
import { expect, test } from './pack.gen.ts';
import { expectAuthHostPublishes, expectHealthy, HEALTH_CHECKS } from './journey.ts';

for (const check of HEALTH_CHECKS) {
  test(`the ${check.host} host answers its health check`, async ({ api, pack }) => {
    await expectHealthy(api, pack, check);
  });
}

test('the auth host publishes discovery and signing keys', async ({ api, pack, env }) => {
  await expectAuthHostPublishes(api, pack, env.urls.authIssuer);
});

test("a visitor opening the app's sign-in is sent to the IdP, which answers", async ({ page, env }) => {
  const response = await page.goto(`${env.urls.app}${env.oidc.loginPath}`);
  expect(new URL(page.url()).origin, 'the browser ends at the IdP').toBe(new URL(env.urls.authIssuer).origin);
  expect(response?.status(), 'the IdP answers the authorization request').toBeLessThan(400);
});
