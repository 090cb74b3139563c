import type { RequestListener } from 'node:http';
import type { StackConfig } from '../config.ts';
import { FAULTS } from '../fault-ids.ts';
import { NOT_RECORDED, type IssuedSecrets } from '../issued-secrets.ts';
import type { StackStats } from '../stats.ts';
import { Accounts } from './accounts.ts';
import { createInteractionHandler } from './interactions.ts';
import { issuerPath, LOGIN_ACTIONS_PATH } from './paths.ts';
import { createProvider } from './provider.ts';
import { createIdpHandler } from './server.ts';

export type IdpOptions = {
  config: StackConfig;
  stats: StackStats;
  signingKey: Record<string, unknown>;
  issued: IssuedSecrets;
  /** In deployment shape, the client as the mounted configuration registers it. */
  registered?: { clientId: string; clientSecret: string; redirectUris: string[] };
};

/** The IdP: oidc-provider in Keycloak's shape, with the seed users and the app's client registered. */
export function createIdp({ config, stats, signingKey, issued, registered }: IdpOptions): RequestListener {
  const { env, faultSet: faults } = config;
  const issuer = env.urls.authIssuer;
  const realm = issuerPath(issuer).split('/').pop() || 'master';
  const accounts = new Accounts(config.users);
  // The fault: the IdP still has the app's old callback registered, not the one the app sends.
  const redirectUris = faults.has(FAULTS.callbackUnregistered)
    ? [`${env.urls.app}/oauth2/callback`]
    : registered
      ? registered.redirectUris
      : [env.oidc.redirectUri];
  const provider = createProvider({
    issuer,
    realm,
    client: {
      clientId: registered?.clientId ?? env.oidc.clientId,
      clientSecret: registered?.clientSecret ?? config.clientSecret,
      redirectUris,
    },
    accounts,
    signingKey,
    terseRefusals: config.terseRefusals,
  });
  // Behind the ingress's TLS: the forwarded scheme is the request's (its cookies are Secure).
  if (registered) provider.proxy = true;
  recordIssued(provider, issued);
  const handleInteraction = createInteractionHandler({
    provider,
    accounts,
    stats,
    realm,
    basePath: `${issuerPath(issuer)}${LOGIN_ACTIONS_PATH}`,
    loginUi: config.loginUi,
    clientName: env.oidc.clientId,
  });
  return createIdpHandler({
    provider,
    issuer,
    realm,
    handleInteraction,
    healthDown: faults.has(FAULTS.authHealthDown),
  });
}

/**
 * What the IdP hands out, as it hands it out: codes and the IdP's session and interaction cookies
 * when saved (their cookie value is the model's id), tokens and the verifier it was given on each
 * successful token request.
 */
function recordIssued(provider: ReturnType<typeof createProvider>, issued: IssuedSecrets): void {
  if (issued === NOT_RECORDED) return;
  provider.on('authorization_code.saved', (code: { jti: string }) => issued.record('authorization-code', code.jti));
  provider.on('session.saved', (session: { jti: string }) => issued.record('idp-session-cookie', session.jti));
  provider.on('interaction.saved', (interaction: { jti: string }) =>
    issued.record('interaction-cookie', interaction.jti),
  );
  provider.on(
    'grant.success',
    (ctx: { body?: Record<string, unknown>; oidc: { params?: Record<string, unknown> } }) => {
      issued.record('access-token', ctx.body?.access_token);
      issued.record('id-token', ctx.body?.id_token);
      issued.record('refresh-token', ctx.body?.refresh_token);
      issued.record('code-verifier', ctx.oidc.params?.code_verifier);
    },
  );
}
