import type * as client from 'openid-client';

// openid-client loads with the first request that needs it: every Playwright worker loads the
// fixtures that use this module, and most never build an OIDC request.
const openidClient = () => import('openid-client');

/**
 * An openid-client configuration for a client of the IdP described by `metadata`. Plain HTTP is
 * allowed only where the configured issuer URL is itself plain HTTP (the embedded stack, or a
 * descriptor that opted in); openid-client refuses it otherwise.
 */
export async function clientConfiguration(
  metadata: client.ServerMetadata,
  options: { issuerUrl: string; clientId: string; clientSecret?: string },
): Promise<client.Configuration> {
  const client = await openidClient();
  const config = new client.Configuration(metadata, options.clientId, options.clientSecret);
  if (new URL(options.issuerUrl).protocol === 'http:') client.allowInsecureRequests(config);
  return config;
}

/** The app's sign-in request as an app sends it: an authorization code with PKCE (S256), for `redirectUri`. */
export async function authorizationUrl(
  config: client.Configuration,
  request: { redirectUri: string; scopes: readonly string[]; state: string; nonce?: string; codeVerifier: string },
): Promise<URL> {
  const client = await openidClient();
  return client.buildAuthorizationUrl(config, {
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scopes.join(' '),
    state: request.state,
    ...(request.nonce ? { nonce: request.nonce } : {}),
    code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
    code_challenge_method: 'S256',
  });
}
