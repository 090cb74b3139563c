import * as client from 'openid-client';

/**
 * An openid-client configuration for a client of the IdP described by `metadata`. Plain HTTP is
 * allowed only where the configured issuer URL is itself plain HTTP (the embedded stack, or a
 * descriptor that opted in); openid-client refuses it otherwise.
 */
export function clientConfiguration(
  metadata: client.ServerMetadata,
  options: { issuerUrl: string; clientId: string; clientSecret?: string },
): client.Configuration {
  const config = new client.Configuration(metadata, options.clientId, options.clientSecret);
  if (new URL(options.issuerUrl).protocol === 'http:') client.allowInsecureRequests(config);
  return config;
}

/** The app's sign-in request as an app sends it: an authorization code with PKCE (S256), for `redirectUri`. */
export async function authorizationUrl(
  config: client.Configuration,
  request: { redirectUri: string; scopes: readonly string[]; state: string; nonce?: string; codeVerifier: string },
): Promise<URL> {
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
