import http from 'node:http';
import { createApiHandler } from './api/server.ts';
import { AppOidcClient } from './app/oidc-client.ts';
import { createAppHandler } from './app/server.ts';
import { SessionStorageTokens } from './app/session-storage-token.ts';
import type { StackConfig } from './config.ts';
import { FAULTS } from './fault-ids.ts';
import { closeNow, listen, portOf } from './http/listen.ts';
import { createService } from './http/service.ts';
import { lazyIdp } from './idp/lazy-idp.ts';
import { redactIdpPath } from './idp/paths.ts';
import { NOT_RECORDED, type IssuedSecrets } from './issued-secrets.ts';
import { Platform } from './model/platform.ts';
import { Sessions } from './model/sessions.ts';
import { Workloads } from './model/workloads.ts';
import { createNotebookHandler } from './notebook/server.ts';
import { AccessLog } from './proxy/access-log.ts';
import { createStackControl } from './proxy/control.ts';
import { HostTable } from './proxy/routes.ts';
import { createPlatformProxy, type PlatformProxy } from './proxy/server.ts';
import type { Upstream } from './proxy/routes.ts';
import { AppReplicas, type AppReplica } from './parity/app-replicas.ts';
import { prepareDeployment } from './parity/deployment.ts';
import { pendingLogins } from './app/sign-in.ts';
import { StackStats } from './stats.ts';
import { createTerminalService } from './terminal/server.ts';

/** Every server binds loopback only: the reference stack is never meant to be reachable from outside. */
export const BIND_HOST = '127.0.0.1';

/** Time between two steps of a workload's lifecycle (pending, starting, running). */
const WORKLOAD_STEP_MS = 250;

/** A public server could not listen; carries what the "port in use" message must name. */
export class StackListenError extends Error {
  override name = 'StackListenError';
  constructor(
    readonly service: 'app' | 'api' | 'idp' | 'probe',
    readonly url: string,
    readonly port: number,
    readonly envVar: string | undefined,
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(`cannot listen on ${BIND_HOST}:${port} for the ${service} (${url})`, options);
  }
}

export type RunningStack = {
  close(): Promise<void>;
  /** Settles once the IdP has loaded, which it does after the stack listens (stack/idp/lazy-idp.ts). */
  idpLoaded: Promise<void>;
};

/** A server users reach, with what a "port in use" message must name. */
export type PublicServer = {
  service: 'app' | 'api' | 'idp' | 'probe';
  server: http.Server;
  url: string;
  envVar?: string;
};

/**
 * Builds the platform model, the services (app, api, notebook, terminal) on ephemeral loopback ports,
 * the IdP on its issuer's port and the platform proxy on the app's and api's ports, and resolves
 * once all of them accept connections (the IdP's requests wait until it has loaded).
 */
export async function startStack(
  config: StackConfig,
  options: { signingKey?: Promise<Record<string, unknown>>; issued?: IssuedSecrets } = {},
): Promise<RunningStack> {
  const { env, faultSet: faults, correlationHeader } = config;
  const issued = options.issued ?? NOT_RECORDED;
  for (const user of config.users) issued.record('password', user.password);
  issued.record('client-secret', config.clientSecret);
  const stats = new StackStats();
  const accessLog = new AccessLog();
  let ready = false;

  const platform = new Platform(config.platform, config.users);
  const sessions = new Sessions(
    platform,
    {
      switchIgnored: faults.has(FAULTS.tenantSwitchIgnored),
      lostOnReload: faults.has(FAULTS.contextLostOnReload),
    },
    config.sessionTtlS,
  );
  const workloads = new Workloads({ stepMs: WORKLOAD_STEP_MS, stuckPending: faults.has(FAULTS.launchStuckPending) });

  // In deployment shape: a CA and the ingress's certificate made now, the configuration rendered
  // as mounted files, and every service below reading its values from them.
  const deployment = config.deployment && prepareDeployment(config);
  const idp = lazyIdp({ config, stats, issued, registered: deployment?.idpClient() }, options.signingKey);
  const idpServer = createService({ name: 'idp', correlationHeader, redactPath: redactIdpPath }, idp.listener);
  const model = { platform, sessions, workloads, faults };
  const unhealthy = (status: number, service: string) => () => ({ status, body: { status: 'unavailable', service } });
  const sessionStorage = config.sessionStorage ? new SessionStorageTokens() : undefined;
  // One store of started sign-ins for every replica of the app, as sessions are.
  const logins = pendingLogins();
  /** The app service; in deployment shape each replica reads the mounted configuration afresh. */
  const createApp = (revision: number): AppReplica => {
    const settings = deployment?.appSettings();
    if (settings && 'missing' in settings)
      return { revision, server: http.createServer(), warmUp: Promise.reject(new Error(settings.missing)) };
    const appUrl = settings?.appUrl ?? env.urls.app;
    const redirectUri = settings?.redirectUri ?? env.oidc.redirectUri;
    const oidc = new AppOidcClient({
      issuer: settings?.issuer ?? env.urls.authIssuer,
      clientId: settings?.clientId ?? env.oidc.clientId,
      clientSecret: settings?.clientSecret ?? config.clientSecret,
      // The fault: the app asks for a callback the IdP never registered.
      redirectUri: faults.has(FAULTS.wrongRedirectUri) ? `${appUrl}/oauth2/callback` : redirectUri,
      scopes: env.oidc.scopes,
      correlationHeader,
      fetch: deployment?.fetch,
    });
    const server = createService(
      {
        name: 'app',
        correlationHeader,
        health: faults.has(FAULTS.appHealth500) ? unhealthy(500, 'app') : undefined,
        revision: deployment ? revision : undefined,
      },
      createAppHandler({
        ...model,
        appUrl,
        loginPath: env.oidc.loginPath,
        callbackPath: new URL(redirectUri).pathname,
        shellIdentity: config.shellIdentity,
        sessionStorage,
        signInInFront: config.signIn === 'proxy',
        oidc,
        issued,
        stats,
        logins,
        cookie: settings?.cookie,
        notebooksUrl: settings?.notebooksUrl,
      }),
    );
    // Ready once the IdP's discovery answers through the ingress, as a readiness probe would wait for.
    return { revision, server, warmUp: deployment ? oidc.configuration().then(() => undefined) : Promise.resolve() };
  };
  const api = createService(
    { name: 'api', correlationHeader, health: faults.has(FAULTS.apiHealth503) ? unhealthy(503, 'api') : undefined },
    createApiHandler({ ...model, notebooksUrl: config.deployment?.notebooksUrl }),
  );
  const notebookUnready = deployment?.notebookUnready();
  const notebook = createService(
    {
      name: 'notebook',
      correlationHeader,
      health: notebookUnready
        ? () => ({ status: 503, body: { status: 'unavailable', reason: notebookUnready } })
        : undefined,
    },
    createNotebookHandler(model),
  );
  const terminal = createTerminalService({ ...model, appOrigin: new URL(env.urls.app).origin, correlationHeader });

  const services = { api, notebook, terminal: terminal.server, ...(deployment ? { idp: idpServer } : {}) };
  await Promise.all(Object.values(services).map(server => listen(server, BIND_HOST, 0)));
  const upstreamOf = (server: http.Server) => `http://${BIND_HOST}:${(server.address() as { port: number }).port}`;
  // Mutable: a rolling restart moves the app to its new replica.
  const upstreams: Record<Upstream, string> = {
    app: '',
    api: upstreamOf(api),
    notebook: upstreamOf(notebook),
    terminal: upstreamOf(terminal.server),
    idp: deployment ? upstreamOf(idpServer) : '',
  };
  const replicas = new AppReplicas({ create: createApp, route: url => (upstreams.app = url), host: BIND_HOST });

  const handleControl = createStackControl({
    readyPath: config.readyPath,
    fingerprint: config.fingerprint,
    faults: config.faults,
    stats,
    accessLog,
    isReady: () => ready,
    rollout: deployment ? replicas : undefined,
  });
  const ingress = deployment?.ingress();
  const proxy = createPlatformProxy({
    hosts: new HostTable({
      ...env.urls,
      ...(deployment ? { auth: env.urls.authIssuer, notebooks: config.deployment!.notebooksUrl } : {}),
    }),
    scheme: new URL(env.urls.app).protocol === 'https:' ? 'https' : 'http',
    upstreams,
    correlationHeader,
    faults,
    accessLog,
    handleControl,
    hsts: ingress?.hsts,
    reroute: ingress?.reroute,
    unready: upstream =>
      upstream === 'app' ? replicas.unready() : upstream === 'notebook' ? notebookUnready : undefined,
  });

  const publicServers = deployment
    ? deployment.publicServers(proxy, handleControl)
    : loopbackPublicServers(config, proxy, idpServer);

  const everything = [...Object.values(services), ...publicServers.map(s => s.server)];
  const close = async () => {
    terminal.close();
    workloads.stop();
    await Promise.all([...everything.map(closeNow), replicas.close()]);
    proxy.close();
  };

  const results = await Promise.allSettled(publicServers.map(s => listen(s.server, BIND_HOST, portOf(new URL(s.url)))));
  const failed = results.findIndex(r => r.status === 'rejected');
  if (failed !== -1) {
    await close();
    const { service, url, envVar } = publicServers[failed];
    const cause = (results[failed] as PromiseRejectedResult).reason as NodeJS.ErrnoException;
    throw new StackListenError(service, url, portOf(new URL(url)), envVar, cause?.code, { cause });
  }
  // The app's first replica warms up through the ingress (the IdP's discovery), so it starts last.
  try {
    await replicas.start();
  } catch (error) {
    // A replica that cannot become ready (its configuration is missing a value) leaves the app
    // unready behind the ingress, as a Deployment would: the stack itself is up and says why.
    if (!deployment) throw error;
    process.stderr.write(`packgate stack: the app did not become ready: ${(error as Error).message}\n`);
  }
  ready = true;
  return { close, idpLoaded: idp.loaded };
}

/** The public servers of the loopback stack: the IdP, and the proxy on the app's port and (when it has its own) the api's. */
function loopbackPublicServers(config: StackConfig, proxy: PlatformProxy, idpServer: http.Server): PublicServer[] {
  const { env } = config;
  const servers: PublicServer[] = [
    { service: 'idp', server: idpServer, url: env.urls.authIssuer, envVar: config.urlEnvVars.authIssuer },
  ];
  const proxyPorts = new Set<number>();
  for (const [service, url] of [
    ['app', env.urls.app],
    ['api', env.urls.api],
  ] as const) {
    if (!url || proxyPorts.has(portOf(new URL(url)))) continue;
    proxyPorts.add(portOf(new URL(url)));
    const server = http.createServer(proxy.handleRequest);
    server.on('upgrade', proxy.handleUpgrade);
    servers.push({ service, server, url, envVar: config.urlEnvVars[service] });
  }
  return servers;
}
