import { expect, SIGNED_OUT, test } from './pack.gen.ts';
import { expectIssuerAndPkce, expectSignedInShell, expectVariantsRefused } from './journey.ts';

// Runs unchanged against any deployed environment: every URL, client id, selector and secret
// comes from the environment descriptor and the env vars it names.

test(
  'the deployed IdP names exactly the configured issuer and offers PKCE with S256',
  SIGNED_OUT,
  async ({ oidc, env }) => {
    await expectIssuerAndPkce(oidc, env.urls.authIssuer);
  },
);

test("the deployed IdP accepts the app's registered callback", SIGNED_OUT, async ({ oidc, env }) => {
  const probe = await oidc.probeAuthorize({ redirectUri: env.oidc.redirectUri });
  expect(probe.accepted, probe.summary).toBe(true);
});

test('the deployed IdP refuses every unregistered variant of the callback', SIGNED_OUT, async ({ oidc, env }) => {
  await expectVariantsRefused(oidc, env.oidc.redirectUri);
});

test('a browser sign-in at the deployed app lands in the shell with the identity', async ({
  page,
  pack,
  session,
  identity,
}) => {
  await expectSignedInShell(page, pack, session, identity);
});
