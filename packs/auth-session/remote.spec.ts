import { expect, signedIn, test } from '../../fixtures/index.ts';
import { expectSignedInShell } from './journey.ts';

// Runs unchanged against any deployed environment: every URL, client id, selector and secret
// comes from the environment descriptor and the env vars it names.
test.describe('auth-session remote', { tag: ['@pack:auth-session', '@layer:remote'] }, () => {
  test("the deployed IdP serves discovery and accepts the app's registered callback", async ({ oidc, env }) => {
    const discovery = await oidc.discovery();
    expect(discovery.issuer).toBe(env.urls.authIssuer);
    const probe = await oidc.probeAuthorize({ redirectUri: env.oidc.redirectUri });
    expect(probe.accepted, probe.summary).toBe(true);
  });

  test.describe('signed in', () => {
    test.use(signedIn);

    test('a browser sign-in at the deployed app lands in the shell with the identity', async ({
      page,
      pack,
      session,
    }) => {
      await expectSignedInShell(page, pack, session);
    });
  });
});
