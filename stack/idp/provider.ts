import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { isClientHangUp } from '../http/hang-up.ts';
import type { Accounts } from './accounts.ts';
import { memoryAdapterFactory } from './memory-adapter.ts';
import { errorPage, keycloakSummary } from './pages.ts';
import { issuerPath, LOGIN_ACTIONS_PATH } from './paths.ts';

/** Keycloak's endpoint paths below the realm issuer, so URLs look exactly like a Keycloak realm's. */
export const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  jwks: '/protocol/openid-connect/certs',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
  pushed_authorization_request: '/protocol/openid-connect/ext/par/request',
} as const;

export type ProviderOptions = {
  issuer: string;
  realm: string;
  client: { clientId: string; clientSecret: string; redirectUris: string[] };
  accounts: Accounts;
  signingKey: Record<string, unknown>;
  /** Refuse with an empty 403 instead of Keycloak's error page (a terse gateway in front of the IdP). */
  terseRefusals?: boolean;
};

export function createProvider({
  issuer,
  realm,
  client,
  accounts,
  signingKey,
  terseRefusals = false,
}: ProviderOptions): Provider {
  const prefix = issuerPath(issuer);
  const configuration: Configuration = {
    adapter: memoryAdapterFactory(),
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    // Signs the provider's own cookies; per start, since its sessions do not outlive the process.
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      roles: ['roles'],
    },
    responseTypes: ['code'],
    // Keycloak issues a refresh token with every code exchange, not only for offline_access.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // PKCE on every request, confidential client or not: the gate checks what production enforces.
    // oidc-provider 9 implements S256 only, so "plain" is refused without further configuration.
    pkce: { required: () => true },
    // Keycloak requires redirect_uri on every authorization request.
    allowOmittingSingleRegisteredRedirectUri: false,
    routes: { ...KEYCLOAK_ROUTES },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    interactions: { url: (_ctx, interaction) => `${prefix}${LOGIN_ACTIONS_PATH}/${interaction.uid}` },
    findAccount: (_ctx, sub) => accounts.find(sub),
    loadExistingGrant,
    // Keycloak puts profile claims in the ID token too; the app reads name and username from it.
    conformIdTokenClaims: false,
    renderError: (ctx, out, error) => {
      if (terseRefusals) {
        ctx.status = 403;
        ctx.body = '';
        return;
      }
      ctx.type = 'html';
      ctx.status = error.statusCode ?? ctx.status ?? 500;
      ctx.body = errorPage({
        realm,
        summary: keycloakSummary(out.error),
        error: out.error,
        description: out.error_description,
      });
    },
    clientBasedCORS: () => false,
    // Keycloak's defaults: short-lived access and ID tokens, a working-day SSO session.
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 1800, Session: 36_000, Grant: 36_000 },
  };
  const provider = new Provider(issuer, configuration);
  // The provider renders its own 500 page and tells no one; the stack's stderr is the server log.
  provider.on('server_error', (_ctx: unknown, error: Error) =>
    process.stderr.write(`packgate stack idp: ${error.stack ?? error.message}\n`),
  );
  // The provider is a Koa app, whose own error log gets what escapes the provider's handling: mostly
  // a client that hung up mid-request (a Parse Error, ECONNRESET), which is no failure.
  provider.on('error', (error: Error, ctx?: { req?: IncomingMessage }) => {
    if (isClientHangUp(error, ctx?.req?.socket)) return;
    process.stderr.write(`packgate stack idp: ${error.stack ?? error.message}\n`);
  });
  return provider;
}

/**
 * The app is first-party, so there is no consent screen: every requested OpenID scope and claim is
 * granted on the user's behalf, keeping the journey to the one login form Keycloak shows.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const clientId = oidc.client!.clientId;
  const accountId = oidc.session.accountId!;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  const grant = existing ?? new oidc.provider.Grant({ accountId, clientId });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}

/** Keycloak-like logout confirmation; `form` is the provider's own form with its xsrf token. */
function logoutSource(ctx: KoaContextWithOIDC, form: string) {
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Logging out</title></head><body>
<h1 id="kc-page-title">Logging out</h1><p class="instruction">Do you want to log out?</p>
${form}<button id="kc-logout" type="submit" form="op.logoutForm" name="logout" value="yes">Logout</button>
</body></html>`;
}

function postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>You are logged out</title></head><body>
<h1 id="kc-page-title">You are logged out</h1><p class="instruction">You are logged out.</p>
</body></html>`;
}
