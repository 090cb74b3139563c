import { expect, SIGNED_OUT, test } from './pack.gen.ts';
import { expectIssuerAndPkce, expectVariantsRefused } from './journey.ts';
import { callbackProbeSummary } from '../../src/oidc/authorize-response.ts';

// The IdP's contract, over HTTP: what it publishes and which callbacks it accepts. It needs no
// session, so it runs (and says why) when the sign-in is broken; every URL, client id and callback
// comes from the environment's descriptor, so it runs unchanged against a deployment too.

test('discovery names exactly the configured issuer and offers PKCE with S256', SIGNED_OUT, async ({ oidc, env }) => {
  await expectIssuerAndPkce(oidc, env.oidc.issuer);
});

test("authorize accepts the app's registered callback", SIGNED_OUT, async ({ oidc, env, plan, environmentName }) => {
  const probe = await oidc.probeAuthorize({ redirectUri: env.oidc.redirectUri });
  // A refusal names the setting to check (oidc.client_id, the callback) and its env var, as `env
  // check` does: the descriptor as written is the run plan's.
  expect(probe.accepted, callbackProbeSummary(probe, plan.environments[environmentName])).toBe(true);
});

test(
  'authorize refuses every unregistered variant of the callback and never redirects to one',
  SIGNED_OUT,
  async ({ oidc, env }) => {
    await expectVariantsRefused(oidc, env.oidc.redirectUri);
  },
);
