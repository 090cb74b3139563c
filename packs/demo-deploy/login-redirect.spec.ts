// The login redirect a visitor of the deployed app gets: in a browser, from outside.
import { expect, test } from './pack.gen.ts';

test("a visitor opening the app's sign-in is sent to the IdP, which answers", async ({ page, env }) => {
  const response = await page.goto(`${env.urls.app}${env.oidc.loginPath}`);
  expect(new URL(page.url()).origin, 'the browser ends at the IdP').toBe(new URL(env.urls.authIssuer).origin);
  expect(response?.status(), 'the IdP answers the authorization request').toBeLessThan(400);
});
