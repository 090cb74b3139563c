import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { FaultSet } from '../fault-ids.ts';
import type { IssuedSecrets } from '../issued-secrets.ts';
import { BodyError } from '../http/body.ts';
import { isClientHangUp } from '../http/hang-up.ts';
import { redirect, sendHtml } from '../http/respond.ts';
import type { Platform } from '../model/platform.ts';
import type { Sessions } from '../model/sessions.ts';
import type { Workloads } from '../model/workloads.ts';
import type { AppOidcClient } from './oidc-client.ts';
import { plainMessagePage } from './pages/layout.ts';
import { notFoundPage } from './pages/sign-in.ts';
import type { SessionStorageTokens } from './session-storage-token.ts';
import { createShellRoutes } from './shell-routes.ts';
import { createSignIn, type SignInOptions } from './sign-in.ts';
import type { StackStats } from '../stats.ts';

export type AppHandlerOptions = {
  appUrl: string;
  loginPath: string;
  callbackPath: string;
  oidc: AppOidcClient;
  platform: Platform;
  sessions: Sessions;
  workloads: Workloads;
  faults: FaultSet;
  /** Whether the shell shows who is signed in (default yes). */
  shellIdentity?: 'shown' | 'hidden';
  /** The sign-in happens in front of the app, as a reverse proxy does it: see StackShape.signIn. */
  signInInFront?: boolean;
  /** Session ids the app hands out, for the canary test (NOT_RECORDED unless asked). */
  issued?: IssuedSecrets;
  /** The session-storage shape: the callback hands the tab a token, and pages need it. */
  sessionStorage?: SessionStorageTokens;
  /** Counts the sessions the app creates, for the framework's own tests. */
  stats?: StackStats;
  /** How the app sets its cookies, from injected configuration (see SignInOptions). */
  cookie?: SignInOptions['cookie'];
  /** Pending sign-ins shared by the app's replicas. */
  logins?: SignInOptions['logins'];
  /** Where notebooks are served, when on a host of their own; default the app's /notebooks/ route. */
  notebooksUrl?: string;
};

/** The app service: sign-in and sign-out, and the shell's pages (shell-routes.ts). */
export function createAppHandler(options: AppHandlerOptions): RequestListener {
  const { appUrl, loginPath, callbackPath } = options;
  const signIn = createSignIn(options);
  // In front of the app, any protected page starts the sign-in and is where the browser comes back to.
  const shell = createShellRoutes({
    ...options,
    startSignIn: options.signInInFront ? (res, returnTo) => signIn.login(res, returnTo) : undefined,
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', appUrl);
    if (url.pathname === '/shell' || url.pathname.startsWith('/shell/')) return shell.handle(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void sendHtml(res, 405, notFoundPage(), { allow: 'GET, HEAD' });

    switch (url.pathname) {
      case '/':
        return redirect(res, '/shell');
      case loginPath:
        // Behind a sign-in proxy the app has no sign-in page; its login path, if any, is a protected page.
        if (options.signInInFront) return sendHtml(res, 404, notFoundPage());
        return signIn.login(res);
      case callbackPath:
        return signIn.callback(req, res, url.searchParams);
      case '/logout':
        return signIn.logout(req, res);
      default:
        return sendHtml(res, 404, notFoundPage());
    }
  }

  return (req, res) => {
    route(req, res).catch(error => {
      if (error instanceof BodyError && !res.headersSent)
        return sendHtml(res, 400, plainMessagePage('Bad request', 'form-error', error.message));
      // A client that hung up while sending a form: nothing failed, and no one to answer.
      if (isClientHangUp(error, req.socket)) return;
      process.stderr.write(
        `packgate stack app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      if (res.headersSent) return void res.destroy();
      sendHtml(res, 500, plainMessagePage('Something went wrong', 'server-error', 'The app failed unexpectedly.'));
    });
  };
}
