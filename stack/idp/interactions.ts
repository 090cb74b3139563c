import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { StackStats } from '../stats.ts';
import { readForm } from '../http/body.ts';
import { noteForLog } from '../http/correlation.ts';
import { sendHtml, sendText } from '../http/respond.ts';
import type { Accounts } from './accounts.ts';
import { errorPage, loginPage } from './pages.ts';

export type InteractionOptions = {
  provider: Provider;
  accounts: Accounts;
  stats: StackStats;
  realm: string;
  /** The login form's path without the uid, e.g. /realms/gpuaas/login-actions/authenticate. */
  basePath: string;
};

/**
 * The login step of the authorization flow: GET shows Keycloak's form, POST checks the
 * credentials and hands the account back to the provider, which resumes the authorization and
 * redirects to the client's callback. There is no consent step (see loadExistingGrant).
 */
export function createInteractionHandler({ provider, accounts, stats, realm, basePath }: InteractionOptions) {
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
    if (req.method !== 'POST') return sendHtml(res, 200, loginPage({ realm, action }));

    const form = await readForm(req);
    const username = form.get('username') ?? '';
    const user = accounts.authenticate(username, form.get('password') ?? '');
    if (!user) {
      noteForLog(res, 'invalid credentials');
      // 200 with the form again, as Keycloak answers a failed sign-in.
      return sendHtml(res, 200, loginPage({ realm, action, username, failed: true }));
    }
    stats.recordInteractiveLogin(user.id);
    await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  };
}
