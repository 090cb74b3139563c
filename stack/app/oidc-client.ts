import * as client from 'openid-client';
import { currentCorrelationId } from '../http/correlation.ts';

export type OidcClientOptions = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  /** The header that carries the correlation id on back-channel calls to the IdP. */
  correlationHeader: string;
  /** How back-channel calls are made; default the global fetch (one trusting a deployment's CA, in parity). */
  fetch?: typeof fetch;
};

/** What the app keeps server-side between /login and the callback. */
export type PendingLogin = {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The page that started the sign-in, to return to after the callback (a sign-in in front of the app). */
  returnTo?: string;
};

/** The signed-in user, from the verified ID token. */
export type SignedInUser = { subject: string; name: string; username: string };

/**
 * The app's OpenID Connect client (authorization code + PKCE, confidential). Discovery happens on
 * first use and is cached; a failed discovery is forgotten so the next request retries, because the
 * IdP may simply not be up yet when the app gets its first visitor.
 */
export class AppOidcClient {
  #configuration: Promise<client.Configuration> | undefined;

  constructor(private readonly options: OidcClientOptions) {}

  configuration(): Promise<client.Configuration> {
    this.#configuration ??= this.#discover().catch(error => {
      this.#configuration = undefined;
      throw error;
    });
    return this.#configuration;
  }

  async startLogin(): Promise<{ authorizationUrl: URL; pending: PendingLogin }> {
    const configuration = await this.configuration();
    const pending: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const authorizationUrl = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.options.redirectUri,
      scope: this.options.scopes.join(' '),
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl, pending };
  }

  /** Validates the authorization response, redeems the code and verifies the ID token. */
  async finishLogin(callbackQuery: URLSearchParams, pending: PendingLogin): Promise<SignedInUser> {
    const configuration = await this.configuration();
    // The registered redirect URI plus the query the IdP sent: the client derives the token
    // request's redirect_uri from it, so it must be the public URI, not whatever Host was used.
    const currentUrl = new URL(this.options.redirectUri);
    currentUrl.search = callbackQuery.toString();
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      pkceCodeVerifier: pending.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the token response has no ID token');
    const username = typeof claims.preferred_username === 'string' ? claims.preferred_username : claims.sub;
    const name = typeof claims.name === 'string' ? claims.name : username;
    return { subject: claims.sub, name, username };
  }

  async #discover(): Promise<client.Configuration> {
    const issuer = new URL(this.options.issuer);
    // Plain HTTP is allowed only for an http issuer (the loopback stack); an https issuer keeps
    // openid-client's refusal of any insecure endpoint.
    const execute = issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [];
    const correlatedFetch = correlatedFetchWith(this.options.correlationHeader, this.options.fetch ?? fetch);
    const configuration = await client.discovery(
      issuer,
      this.options.clientId,
      undefined,
      client.ClientSecretBasic(this.options.clientSecret),
      {
        execute,
        timeout: 5,
        [client.customFetch]: correlatedFetch,
      },
    );
    configuration[client.customFetch] = correlatedFetch;
    return configuration;
  }
}

/** Back-channel calls to the IdP carry the browser request's correlation id, so both logs line up. */
function correlatedFetchWith(header: string, fetch: typeof globalThis.fetch): client.CustomFetch {
  return (url, options) => {
    const id = currentCorrelationId();
    const headers = id ? { ...options.headers, [header]: id } : options.headers;
    // FetchBody's Uint8Array<ArrayBufferLike> is what fetch accepts at runtime; only the DOM typing is narrower.
    return fetch(url, { ...options, headers } as RequestInit);
  };
}

/** A failure in words for the user and the log: OAuth error codes and messages, never tokens or codes. */
export function describeOidcError(error: unknown): string {
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError)
    return error.error_description ? `${error.error}: ${error.error_description}` : error.error;
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown } | undefined;
    const code = cause && typeof cause === 'object' && typeof cause.code === 'string' ? ` (${cause.code})` : '';
    return `${error.message}${code}`;
  }
  return String(error);
}
