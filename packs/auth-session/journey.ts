import type { APIRequestContext, Page } from '@playwright/test';
import type { IdentityChecker, SignedInSession } from '../../fixtures/index.ts';
import { expect, test, type Pack } from './pack.gen.ts';
import type { ApiTestFixtures } from '../../fixtures/api.ts';
import type { OidcProbe } from '../../fixtures/oidc.ts';

/** The user is in the shell, not sent to sign in again, and the app shows who they are (where it does). */
export async function expectSignedInShell(
  page: Page,
  pack: Pack,
  session: SignedInSession,
  identity: IdentityChecker,
): Promise<void> {
  await page.goto(pack.url('shell'));
  await expect(page, 'a signed-in user stays in the shell instead of being sent to sign in again').toHaveURL(
    pack.url('shell'),
  );
  await identity.expectShown(page, session);
}

/** RFC 9700 2.1 / 4.1.3: discovery names exactly the issuer the environment trusts, and offers S256. */
export async function expectIssuerAndPkce(oidc: OidcProbe, expectedIssuer: string): Promise<void> {
  const discovery = await oidc.discovery();
  expect(discovery.issuer, 'the issuer in discovery is exactly the configured one (no trailing slash, same case)').toBe(
    expectedIssuer,
  );
  expect(discovery.code_challenge_methods_supported ?? [], 'the IdP supports PKCE with S256').toContain('S256');
}

/**
 * Redirect URIs that differ from the registered one in ways lax matching lets through (RFC 9700
 * 4.1.3: the IdP must compare exactly). Each is a string, not a URL object, so nothing normalizes it.
 */
export function unregisteredVariants(registered: string): Array<{ kind: string; redirectUri: string }> {
  const url = new URL(registered);
  const { protocol, host, pathname } = url;
  const otherScheme = protocol === 'https:' ? 'http:' : 'https:';
  return [
    { kind: 'path suffix', redirectUri: `${registered}/extra` },
    { kind: 'extra query', redirectUri: `${registered}${url.search ? '&' : '?'}packgate=1` },
    { kind: 'trailing slash', redirectUri: `${registered}/` },
    { kind: 'case change', redirectUri: `${protocol}//${host}${pathname.toUpperCase()}${url.search}` },
    { kind: 'other host', redirectUri: `${protocol}//packgate-unregistered.example${pathname}` },
    {
      kind: `${otherScheme.slice(0, -1)} instead of ${protocol.slice(0, -1)}`,
      redirectUri: `${otherScheme}//${host}${pathname}`,
    },
    { kind: 'userinfo', redirectUri: `${protocol}//packgate@${host}${pathname}` },
    {
      kind: 'userinfo hiding another host',
      redirectUri: `${protocol}//${host}@packgate-unregistered.example${pathname}`,
    },
    { kind: 'dot segments', redirectUri: `${protocol}//${host}/packgate/..${pathname}` },
  ];
}

/**
 * Every unregistered variant is refused and never redirected to (an open redirector leaks codes). The
 * registered callback is asked first: an IdP that refuses it too (an unknown client, the callback not
 * registered) refuses every variant whatever its matching, which proves nothing. The test is then
 * skipped, saying why (not passed: the gate counts a skip as not proven), where the test of the
 * registered callback fails; a second failure would cost a retry and a worker for the same cause.
 */
export async function expectVariantsRefused(oidc: OidcProbe, registered: string): Promise<void> {
  const control = await oidc.probeAuthorize({ redirectUri: registered });
  test.skip(
    !control.accepted,
    `the registered callback is refused too (${control.summary}): its variants' refusals would say nothing of exact matching`,
  );
  for (const { kind, redirectUri } of unregisteredVariants(registered)) {
    const probe = await oidc.probeAuthorize({ redirectUri });
    expect.soft(probe.accepted, `${kind}: ${probe.summary}`).toBe(false);
    expect.soft(probe.redirectedToClient, `${kind}: the IdP redirected to ${probe.location}`).toBe(false);
  }
}

/**
 * A request context holding only the IdP's single sign-on cookies of a signed-in session: no app
 * session. Made with the `newRequestContext` fixture, which disposes it when the test ends, failed or not.
 */
export async function idpSessionOnly(
  newRequestContext: ApiTestFixtures['newRequestContext'],
  session: SignedInSession,
): Promise<APIRequestContext> {
  const cookies = session.storageState.cookies.filter(c => session.idpCookies.includes(c.name));
  expect(cookies.length, 'the sign-in left the IdP single sign-on cookies').toBeGreaterThan(0);
  return newRequestContext({ storageState: { cookies, origins: [] } });
}

/**
 * The app's own sign-in up to the callback, on the IdP's existing session (no second interactive
 * sign-in): GET the login path, follow to the IdP, which answers with the callback URL.
 */
export async function callbackFromIdp(jar: APIRequestContext, loginUrl: string, redirectUri: string): Promise<URL> {
  const start = await jar.get(loginUrl, { maxRedirects: 0 });
  expect(start.status(), 'the app sends the browser to the IdP').toBeGreaterThanOrEqual(300);
  let next = new URL(start.headers()['location'], loginUrl);
  for (let hop = 0; hop < 5 && !next.href.startsWith(redirectUri); hop++) {
    const response = await jar.get(next.href, { maxRedirects: 0 });
    const location = response.headers()['location'];
    expect(
      location,
      `the IdP answers ${next.origin}${next.pathname} with a redirect (HTTP ${response.status()})`,
    ).toBeTruthy();
    next = new URL(location, next);
  }
  expect(
    next.href.startsWith(redirectUri),
    `the IdP sent the browser to the app's callback, not ${next.origin}${next.pathname}`,
  ).toBe(true);
  return next;
}

/** Whether a request context has a session at the app: the shell answers 200 rather than sending it to sign in. */
export async function hasAppSession(jar: APIRequestContext, shellUrl: string): Promise<boolean> {
  return (await jar.get(shellUrl, { maxRedirects: 0 })).status() === 200;
}

/**
 * An authorization code flow as the app's own client, on the IdP's existing session, redeemed with
 * the app's client secret: returns the ID token's header and the JWKS key ids.
 */
export async function idTokenOnSession(
  jar: APIRequestContext,
  oidc: OidcProbe,
  clientSecret: string,
): Promise<{ header: Record<string, unknown>; kids: unknown[] }> {
  const request = await oidc.authorizationRequest();
  const response = await jar.get(request.url.href, { maxRedirects: 0 });
  const location = response.headers()['location'];
  expect(
    location,
    `the IdP answers the authorization request on its session with a redirect (HTTP ${response.status()})`,
  ).toBeTruthy();
  const config = await oidc.configuration(undefined, clientSecret);
  const { authorizationCodeGrant } = await import('openid-client');
  const tokens = await authorizationCodeGrant(config, new URL(location, request.url), {
    pkceCodeVerifier: request.codeVerifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
  const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0], 'base64url').toString('utf8'));
  const { keys } = await oidc.jwks();
  return { header, kids: keys.map(k => k.kid) };
}
