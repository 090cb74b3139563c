import http from 'node:http';
import { AppOidcClient } from './app/oidc-client.ts';
import { createAppHandler } from './app/server.ts';
import { createStackControl } from './app/stack-control.ts';
import type { StackConfig } from './config.ts';
import { FAULTS } from './fault-ids.ts';
import { withCorrelation } from './http/correlation.ts';
import { closeNow, listen, portOf } from './http/listen.ts';
import { Accounts } from './idp/accounts.ts';
import { createInteractionHandler } from './idp/interactions.ts';
import { createProvider, LOGIN_ACTIONS_PATH } from './idp/provider.ts';
import { createIdpHandler, issuerPath, redactIdpPath } from './idp/server.ts';
import { generateSigningKey } from './idp/signing-key.ts';
import { StackStats } from './stats.ts';

/** Both servers bind loopback only: the reference stack is never meant to be reachable from outside. */
export const BIND_HOST = '127.0.0.1';

/** A server could not listen; carries what the "port in use" message must name. */
export class StackListenError extends Error {
  override name = 'StackListenError';
  constructor(
    readonly service: 'app' | 'idp',
    readonly url: string,
    readonly port: number,
    readonly envVar: string | undefined,
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(`cannot listen on ${BIND_HOST}:${port} for the ${service} (${url})`, options);
  }
}

export type RunningStack = { close(): Promise<void> };

/** Builds the IdP and the app, listens on both, and resolves once both accept connections. */
export async function startStack(config: StackConfig): Promise<RunningStack> {
  const { env } = config;
  const stats = new StackStats();
  let ready = false;

  const issuer = env.urls.authIssuer;
  const realm = issuerPath(issuer).split('/').pop() || 'master';
  const accounts = new Accounts(config.users);
  // The fault: the IdP still has the app's old callback registered, not the one the app sends.
  const redirectUris = config.faults.includes(FAULTS.callbackUnregistered)
    ? [`${env.urls.app}/oauth2/callback`]
    : [env.oidc.redirectUri];
  const provider = createProvider({
    issuer,
    realm,
    client: { clientId: env.oidc.clientId, clientSecret: config.clientSecret, redirectUris },
    accounts,
    signingKey: await generateSigningKey(),
  });
  const handleInteraction = createInteractionHandler({
    provider,
    accounts,
    stats,
    realm,
    basePath: `${issuerPath(issuer)}${LOGIN_ACTIONS_PATH}`,
  });
  const idpServer = http.createServer(
    withCorrelation('idp', createIdpHandler({ provider, issuer, realm, handleInteraction }), redactIdpPath),
  );

  const oidc = new AppOidcClient({
    issuer,
    clientId: env.oidc.clientId,
    clientSecret: config.clientSecret,
    redirectUri: env.oidc.redirectUri,
    scopes: env.oidc.scopes,
  });
  const handleControl = createStackControl({
    readyPath: config.readyPath,
    fingerprint: config.fingerprint,
    faults: config.faults,
    stats,
    isReady: () => ready,
  });
  const appHandler = createAppHandler({
    appUrl: env.urls.app,
    loginPath: env.oidc.loginPath,
    callbackPath: new URL(env.oidc.redirectUri).pathname,
    context: config.context,
    oidc,
    handleControl,
  });
  const appServer = http.createServer(withCorrelation('app', appHandler));

  const servers = [
    { service: 'idp' as const, server: idpServer, url: issuer, envVar: config.urlEnvVars.authIssuer },
    { service: 'app' as const, server: appServer, url: env.urls.app, envVar: config.urlEnvVars.app },
  ];
  const results = await Promise.allSettled(servers.map(s => listen(s.server, BIND_HOST, portOf(new URL(s.url)))));
  const failed = results.findIndex(r => r.status === 'rejected');
  if (failed !== -1) {
    await Promise.all(servers.map(s => closeNow(s.server)));
    const { service, url, envVar } = servers[failed];
    const cause = (results[failed] as PromiseRejectedResult).reason as NodeJS.ErrnoException;
    throw new StackListenError(service, url, portOf(new URL(url)), envVar, cause?.code, { cause });
  }
  ready = true;
  return { close: async () => void (await Promise.all(servers.map(s => closeNow(s.server)))) };
}
