import { expect, test } from '../../fixtures/index.ts';

test.describe('auth-session api', { tag: ['@pack:auth-session', '@layer:api'] }, () => {
  test('the IdP publishes discovery and signing keys', async ({ oidc, env }) => {
    const discovery = await oidc.discovery();
    expect(discovery.issuer, 'discovery names the issuer the environment expects').toBe(env.urls.authIssuer);
    expect(discovery.code_challenge_methods_supported ?? [], 'the IdP supports PKCE with S256').toContain('S256');
    const { keys } = await oidc.jwks();
    expect(keys.length, 'the IdP publishes at least one signing key').toBeGreaterThan(0);
  });

  test("authorize accepts the app's registered callback", async ({ oidc, env }) => {
    const probe = await oidc.probeAuthorize({ redirectUri: env.oidc.redirectUri });
    expect(probe.accepted, probe.summary).toBe(true);
  });

  test('authorize refuses a callback that is not registered', async ({ oidc, env }) => {
    const probe = await oidc.probeAuthorize({ redirectUri: `${env.urls.app}/packgate-unregistered-callback` });
    expect(probe.accepted, probe.summary).toBe(false);
  });

  test('the app refuses a callback whose state does not match its sign-in', async ({ api, env, pack }) => {
    const start = await api.get(`${env.urls.app}${env.oidc.loginPath}`);
    expect(start.status(), 'starting sign-in redirects to the IdP').toBeGreaterThanOrEqual(300);
    expect(start.status()).toBeLessThan(400);
    const callback = await api.get(`${env.oidc.redirectUri}?code=forged-code&state=forged-state`);
    expect(callback.status(), 'a callback with a forged state is refused').toBeGreaterThanOrEqual(400);
    expect(await callback.text()).toMatch(/state/i);
    const shell = await api.get(pack.url('shell'));
    expect(shell.status(), 'no session was created: the shell still sends the user to sign in').toBeGreaterThanOrEqual(
      300,
    );
    expect(shell.status()).toBeLessThan(400);
  });
});
