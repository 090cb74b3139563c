import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULTS, type FaultSet } from '../fault-ids.ts';
import type { IssuedSecrets } from '../issued-secrets.ts';
import { clearCookie, readCookies, serializeCookie } from '../http/cookies.ts';
import { noteForLog } from '../http/correlation.ts';
import { redirect, sendHtml } from '../http/respond.ts';
import { ExpiringStore } from '../model/expiring-store.ts';
import { SESSION_COOKIE, type Sessions } from '../model/sessions.ts';
import { describeOidcError, type AppOidcClient, type PendingLogin } from './oidc-client.ts';
import { sessionHandoffPage } from './pages/session-storage.ts';
import { loginErrorPage, signedOutPage } from './pages/sign-in.ts';
import type { StackStats } from '../stats.ts';
import type { SessionStorageTokens } from './session-storage-token.ts';

/** Holds the id of the server-side pending login (state, nonce, PKCE verifier) between /login and the callback. */
export const LOGIN_COOKIE = 'gpuaas_login';

const LOGIN_TTL_S = 10 * 60;

export type SignInOptions = {
  appUrl: string;
  loginPath: string;
  oidc: AppOidcClient;
  sessions: Sessions;
  faults: FaultSet;
  issued?: IssuedSecrets;
  sessionStorage?: SessionStorageTokens;
  stats?: StackStats;
  /**
   * How the app's cookies are set, where configuration says (a deployment's injected config): Secure
   * and a parent Domain. Default: Secure on an https app URL, host-only.
   */
  cookie?: { secure: boolean; domain?: string };
  /** Pending sign-ins, shared by the app's replicas so a rolling restart does not lose one mid-way. */
  logins?: ExpiringStore<PendingLogin>;
};

/** Where the app keeps the sign-ins it started, until their callback or 10 minutes. */
export function pendingLogins(): ExpiringStore<PendingLogin> {
  return new ExpiringStore<PendingLogin>(LOGIN_TTL_S * 1000);
}

/** The app's side of the OIDC sign-in (/login, the callback) and sign-out. */
export function createSignIn(options: SignInOptions) {
  const { appUrl, loginPath, oidc, sessions, faults, issued, sessionStorage, stats } = options;
  const cookie = options.cookie ?? { secure: new URL(appUrl).protocol === 'https:' };
  const logins = options.logins ?? pendingLogins();

  const fail = (res: ServerResponse, reason: string) => {
    noteForLog(res, reason);
    sendHtml(res, 400, loginErrorPage(reason, loginPath), { 'set-cookie': clearCookie(LOGIN_COOKIE, cookie) });
  };

  /** Starts a sign-in; `returnTo`, a path of the app, is where the callback sends the browser (default the shell). */
  async function login(res: ServerResponse, returnTo?: string): Promise<void> {
    let started;
    try {
      started = await oidc.startLogin();
    } catch (error) {
      const reason = `the identity provider is not reachable (${describeOidcError(error)})`;
      noteForLog(res, reason);
      return sendHtml(res, 502, loginErrorPage(reason, loginPath));
    }
    issued?.record('code-verifier', started.pending.codeVerifier);
    const id = logins.add({ ...started.pending, returnTo });
    redirect(res, started.authorizationUrl.href, {
      'set-cookie': serializeCookie(LOGIN_COOKIE, id, { maxAgeS: LOGIN_TTL_S, ...cookie }),
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
    if (faults.has(FAULTS.callback500)) {
      noteForLog(res, 'fault callback-500');
      return sendHtml(res, 500, loginErrorPage('the app failed unexpectedly', loginPath), {
        'set-cookie': clearCookie(LOGIN_COOKIE, cookie),
      });
    }
    const sessionId = sessions.create(user.subject);
    stats?.recordAppSession(user.subject);
    issued?.record('session-cookie', sessionId);
    const cookies = [clearCookie(LOGIN_COOKIE, cookie)];
    if (!faults.has(FAULTS.sessionCookieMissing))
      cookies.unshift(serializeCookie(SESSION_COOKIE, sessionId, { maxAgeS: sessions.ttlS, ...cookie }));
    const returnTo = pending.returnTo ?? '/shell';
    if (!sessionStorage) return redirect(res, returnTo, { 'set-cookie': cookies });
    // An SPA's callback page: it puts the session's token in the tab's sessionStorage, then goes on.
    const token = sessionStorage.tokenFor(sessionId);
    issued?.record('session-storage-token', token);
    sendHtml(res, 200, sessionHandoffPage(token, returnTo), { 'set-cookie': cookies });
  }

  function logout(req: IncomingMessage, res: ServerResponse): void {
    // Ends the app session only; the IdP's SSO session lives on, as with Keycloak without RP logout.
    // The session-survives-logout fault clears the cookie only: whoever kept it is still signed in.
    if (!faults.has(FAULTS.sessionSurvivesLogout)) sessions.delete(readCookies(req).get(SESSION_COOKIE));
    sendHtml(res, 200, signedOutPage(loginPath), { 'set-cookie': clearCookie(SESSION_COOKIE, cookie) });
  }

  return { login, callback, logout };
}
