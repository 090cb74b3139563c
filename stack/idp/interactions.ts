import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { StackStats } from '../stats.ts';
import { readForm } from '../http/body.ts';
import { noteForLog } from '../http/correlation.ts';
import { sendHtml, sendText } from '../http/respond.ts';
import type { LoginUi } from '../shape.ts';
import type { Accounts } from './accounts.ts';
import { consentPage, continuePage, errorPage, loginPage, passwordPage, usernamePage } from './pages.ts';

export type InteractionOptions = {
  provider: Provider;
  accounts: Accounts;
  stats: StackStats;
  realm: string;
  /** The login form's path without the uid, e.g. /realms/gpuaas/login-actions/authenticate. */
  basePath: string;
  /** Which pages the sign-in goes through (default: Keycloak's one form). */
  loginUi?: LoginUi;
  /** The client's name on the consent page. */
  clientName?: string;
};

/** Where a sign-in stands between the IdP's pages, by interaction uid. */
type Pending = { username?: string; accountId?: string; next?: 'continue' | 'consent' };

/**
 * The login step of the authorization flow: GET shows Keycloak's form, POST checks the
 * credentials and hands the account back to the provider, which resumes the authorization and
 * redirects to the client's callback. The login UI may instead ask for the user name and the
 * password on two pages (identifier-first), and show a "Continue" page and a consent page after
 * the credentials, as deployments do. The provider's own consent prompt never shows (see
 * loadExistingGrant): the consent page here is the login UI's.
 */
export function createInteractionHandler({
  provider,
  accounts,
  stats,
  realm,
  basePath,
  loginUi = { identifierFirst: false, interstitial: false, consent: false },
  clientName = 'the application',
}: InteractionOptions) {
  const pending = new Map<string, Pending>();
  // After the credentials: the interstitial, then consent, then back to the provider.
  const afterCredentials = (from?: Pending['next']): Pending['next'] | undefined => {
    if (!from && loginUi.interstitial) return 'continue';
    if (from !== 'consent' && loginUi.consent) return 'consent';
    return undefined;
  };

  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST')
      return sendText(res, 405, 'method not allowed');

    let interaction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch {
      interaction = undefined;
    }
    // The interaction cookie names the pending authorization; without it (expired, another
    // browser, a stale bookmark) Keycloak says the attempt timed out and the app must start over.
    if (!interaction || interaction.uid !== uid) {
      noteForLog(res, 'login attempt without a live interaction');
      return sendHtml(
        res,
        400,
        errorPage({
          realm,
          summary: 'Your login attempt timed out. Login will start from the beginning.',
          error: 'invalid_request',
          description: 'interaction session not found',
        }),
      );
    }

    const action = `${basePath}/${uid}`;
    if (interaction.prompt.name === 'consent') {
      // Not reached with loadExistingGrant granting first-party scopes; kept so a changed policy
      // cannot strand a journey on a page that has no consent form.
      return provider.interactionFinished(req, res, { consent: {} }, { mergeWithLastSubmission: true });
    }
    const state = pending.get(uid) ?? {};
    const finish = async (accountId: string) => {
      pending.delete(uid);
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    };
    const show = (step: Pending['next'] | 'username' | 'password', failed = false) => {
      const username = state.username ?? '';
      if (step === 'continue') return sendHtml(res, 200, continuePage({ realm, action, username }));
      if (step === 'consent') return sendHtml(res, 200, consentPage({ realm, action, clientName }));
      if (step === 'username') return sendHtml(res, 200, usernamePage({ realm, action }));
      if (loginUi.identifierFirst) return sendHtml(res, 200, passwordPage({ realm, action, username, failed }));
      return sendHtml(res, 200, loginPage({ realm, action, username, failed }));
    };

    if (req.method !== 'POST') {
      if (state.next) return show(state.next);
      return show(loginUi.identifierFirst && !state.username ? 'username' : 'password');
    }

    const form = await readForm(req);
    const step = form.get('step') ?? 'login';
    if (state.next && state.accountId && step === state.next) {
      if (step === 'consent' && form.get('decision') !== 'accept') {
        pending.delete(uid);
        noteForLog(res, 'consent declined');
        return provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'the user declined' },
          { mergeWithLastSubmission: false },
        );
      }
      const next = afterCredentials(state.next);
      if (next) {
        pending.set(uid, { ...state, next });
        return show(next);
      }
      return finish(state.accountId);
    }
    if (loginUi.identifierFirst && step === 'username') {
      const username = (form.get('username') ?? '').trim();
      // As Keycloak: the password page comes whether or not the user exists, so names cannot be probed.
      pending.set(uid, { username });
      return show(username ? 'password' : 'username');
    }
    const username = loginUi.identifierFirst ? (state.username ?? '') : (form.get('username') ?? '');
    state.username = username;
    const user = accounts.authenticate(username, form.get('password') ?? '');
    if (!user) {
      noteForLog(res, 'invalid credentials');
      // 200 with the form again, as Keycloak answers a failed sign-in.
      return show('password', true);
    }
    stats.recordInteractiveLogin(user.id);
    const next = afterCredentials();
    if (next) {
      pending.set(uid, { username, accountId: user.id, next });
      return show(next);
    }
    await finish(user.id);
  };
}
