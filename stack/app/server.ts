import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ContextRecord } from '../config.ts';
import { clearCookie, readCookies, serializeCookie } from '../http/cookies.ts';
import { noteForLog } from '../http/correlation.ts';
import { redirect, sendHtml } from '../http/respond.ts';
import { describeOidcError, type AppOidcClient, type PendingLogin, type SignedInUser } from './oidc-client.ts';
import { loginErrorPage, notFoundPage, shellPage, signedOutPage } from './pages.ts';
import { ExpiringStore } from './sessions.ts';

/** Holds the id of the server-side pending login (state, nonce, PKCE verifier) between /login and the callback. */
export const LOGIN_COOKIE = 'gpuaas_login';
/** Holds the id of the server-side session. */
export const SESSION_COOKIE = 'gpuaas_session';

const LOGIN_TTL_S = 10 * 60;
const SESSION_TTL_S = 8 * 60 * 60;

export type AppHandlerOptions = {
  appUrl: string;
  loginPath: string;
  callbackPath: string;
  context: { tenant?: ContextRecord; project?: ContextRecord };
  oidc: AppOidcClient;
  /** Answers the stack control endpoints; false when the path is not one. */
  handleControl: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
};

export function createAppHandler({
  appUrl,
  loginPath,
  callbackPath,
  context,
  oidc,
  handleControl,
}: AppHandlerOptions): RequestListener {
  const secure = new URL(appUrl).protocol === 'https:';
  const logins = new ExpiringStore<PendingLogin>(LOGIN_TTL_S * 1000);
  const sessions = new ExpiringStore<SignedInUser>(SESSION_TTL_S * 1000);

  const fail = (res: ServerResponse, reason: string) => {
    noteForLog(res, reason);
    sendHtml(res, 400, loginErrorPage(reason, loginPath), { 'set-cookie': clearCookie(LOGIN_COOKIE, secure) });
  };

  async function login(res: ServerResponse): Promise<void> {
    let started;
    try {
      started = await oidc.startLogin();
    } catch (error) {
      const reason = `the identity provider is not reachable (${describeOidcError(error)})`;
      noteForLog(res, reason);
      return sendHtml(res, 502, loginErrorPage(reason, loginPath));
    }
    const id = logins.add(started.pending);
    redirect(res, started.authorizationUrl.href, {
      'set-cookie': serializeCookie(LOGIN_COOKIE, id, { maxAgeS: LOGIN_TTL_S, secure }),
    });
  }

  async function callback(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const pending = logins.take(readCookies(req).get(LOGIN_COOKIE));
    if (!pending)
      return fail(
        res,
        `no sign-in was started in this browser (the ${LOGIN_COOKIE} cookie is missing or expired); start again`,
      );
    // Checked before anything else: a callback that is not the answer to our own request (CSRF, a
    // mixed-up tab) must fail as such even when it also carries an error.
    if (query.get('state') !== pending.state)
      return fail(res, 'the state parameter does not match the sign-in this browser started');
    const error = query.get('error');
    if (error) {
      const description = query.get('error_description');
      return fail(res, `the identity provider refused the sign-in: ${error}${description ? ` (${description})` : ''}`);
    }
    let user;
    try {
      user = await oidc.finishLogin(query, pending);
    } catch (exchangeError) {
      return fail(res, `the code exchange with the identity provider failed: ${describeOidcError(exchangeError)}`);
    }
    const sessionId = sessions.add(user);
    redirect(res, '/shell', {
      'set-cookie': [
        serializeCookie(SESSION_COOKIE, sessionId, { maxAgeS: SESSION_TTL_S, secure }),
        clearCookie(LOGIN_COOKIE, secure),
      ],
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', appUrl);
    if (handleControl(req, res, url)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void sendHtml(res, 405, notFoundPage(), { allow: 'GET, HEAD' });

    switch (url.pathname) {
      case '/':
        return redirect(res, '/shell');
      case loginPath:
        return login(res);
      case callbackPath:
        return callback(req, res, url.searchParams);
      case '/shell': {
        const user = sessions.get(readCookies(req).get(SESSION_COOKIE));
        if (!user) return redirect(res, loginPath);
        return sendHtml(res, 200, shellPage(user, context));
      }
      case '/logout':
        // Ends the app session only; the IdP's SSO session lives on, as with Keycloak without RP logout.
        sessions.delete(readCookies(req).get(SESSION_COOKIE));
        return sendHtml(res, 200, signedOutPage(loginPath), { 'set-cookie': clearCookie(SESSION_COOKIE, secure) });
      default:
        return sendHtml(res, 404, notFoundPage());
    }
  }

  return (req, res) => {
    route(req, res).catch(error => {
      process.stderr.write(
        `packgate stack app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      if (res.headersSent) return void res.destroy();
      sendHtml(res, 500, loginErrorPage('the app failed unexpectedly', loginPath));
    });
  };
}
