import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { pathOnly } from '../http/correlation.ts';
import { isClientHangUp } from '../http/hang-up.ts';
import { sendHtml, sendJson } from '../http/respond.ts';
import { issuerPath, LOGIN_ACTIONS_PATH } from './paths.ts';
import { errorPage } from './pages.ts';

type InteractionHandler = (req: IncomingMessage, res: ServerResponse, uid: string) => Promise<void>;

export type IdpHandlerOptions = {
  provider: Provider;
  issuer: string;
  realm: string;
  handleInteraction: InteractionHandler;
  /** The auth-health-down fault: Keycloak's readiness endpoint reports DOWN. */
  healthDown: boolean;
};

/** Keycloak's readiness endpoint, at the server root (its management interface in a real deployment). */
export const HEALTH_READY_PATH = '/health/ready';

/**
 * Routes the IdP's HTTP server: the login form to our interaction handler, everything under the
 * issuer path to oidc-provider, mounted there the way it expects (req.url relative to the mount,
 * req.originalUrl the full path, from which it derives absolute endpoint URLs).
 */
export function createIdpHandler({
  provider,
  issuer,
  realm,
  handleInteraction,
  healthDown,
}: IdpHandlerOptions): RequestListener {
  const prefix = issuerPath(issuer);
  const callback = provider.callback();
  const loginActions = `${prefix}${LOGIN_ACTIONS_PATH}/`;

  return (req, res) => {
    const path = pathOnly(req.url);
    const fail = (error: unknown) => serverError(req, res, realm, error);

    if (path === HEALTH_READY_PATH && (req.method === 'GET' || req.method === 'HEAD'))
      return healthDown ? sendJson(res, 503, { status: 'DOWN' }) : sendJson(res, 200, { status: 'UP' });

    if (path.startsWith(loginActions)) {
      const uid = path.slice(loginActions.length);
      if (/^[A-Za-z0-9_-]{1,64}$/.test(uid)) return void handleInteraction(req, res, uid).catch(fail);
    } else if (prefix === '' || path === prefix || path.startsWith(`${prefix}/`)) {
      Object.assign(req, { originalUrl: req.url });
      req.url = req.url!.slice(prefix.length) || '/';
      return void callback(req, res).catch(fail);
    }
    sendHtml(res, 404, errorPage({ realm, summary: 'Page not found', error: 'not_found' }));
  };
}

function serverError(req: IncomingMessage, res: ServerResponse, realm: string, error: unknown): void {
  // A browser that hung up while sending the login form: nothing failed, and no one to answer.
  if (isClientHangUp(error, req.socket)) return;
  process.stderr.write(
    `packgate stack idp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  if (res.headersSent) return void res.destroy();
  sendHtml(res, 500, errorPage({ realm, summary: 'An internal server error has occurred', error: 'server_error' }));
}
