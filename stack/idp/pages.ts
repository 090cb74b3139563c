import { escapeHtml, htmlDocument } from '../http/html.ts';

/**
 * The IdP's pages in Keycloak's shape: the element ids (#username, #password, #kc-login,
 * #input-error, #kc-error-message) are the ones the `keycloak` login driver and the packs look for,
 * so a journey written against the reference stack runs unchanged against a real Keycloak.
 */

export type LoginPage = {
  realm: string;
  /** Where the form posts: the interaction's own URL. */
  action: string;
  /** The username typed before, kept on a failed attempt as Keycloak does. */
  username?: string;
  failed?: boolean;
};

export function loginPage({ realm, action, username = '', failed = false }: LoginPage): string {
  const { invalid, error } = failedAttempt(failed);
  return page(
    realm,
    `<h1 id="kc-page-title">Sign in to your account</h1>
  <form id="kc-form-login" action="${escapeHtml(action)}" method="post">
    <label for="username">Username or email</label>
    <input id="username" name="username" type="text" value="${escapeHtml(username)}" autofocus autocomplete="username"${invalid}>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password"${invalid}>${error}
    <input id="kc-login" name="login" type="submit" value="Sign In">
  </form>`,
  );
}

/** What a refused password adds to the form, as Keycloak shows it: invalid inputs and its message. */
function failedAttempt(failed: boolean): { invalid: string; error: string } {
  return failed
    ? {
        invalid: ' aria-invalid="true"',
        error:
          '\n    <span id="input-error" class="kc-feedback-text" aria-live="polite">Invalid username or password.</span>',
      }
    : { invalid: '', error: '' };
}

/** Identifier-first, page 1: the user name alone (Keycloak's username form). */
export function usernamePage({ realm, action }: { realm: string; action: string }): string {
  return page(
    realm,
    `<h1 id="kc-page-title">Sign in to your account</h1>
  <form id="kc-form-login" action="${escapeHtml(action)}" method="post">
    <input type="hidden" name="step" value="username">
    <label for="username">Username or email</label>
    <input id="username" name="username" type="text" autofocus autocomplete="username">
    <input id="kc-next" name="next" type="submit" value="Next">
  </form>`,
  );
}

/** Identifier-first, page 2: the password for the user name given on page 1. */
export function passwordPage({ realm, action, username = '', failed = false }: LoginPage): string {
  const { invalid, error } = failedAttempt(failed);
  return page(
    realm,
    `<h1 id="kc-page-title">Sign in to your account</h1>
  <div id="kc-username"><span id="kc-attempted-username">${escapeHtml(username)}</span></div>
  <form id="kc-form-login" action="${escapeHtml(action)}" method="post">
    <input type="hidden" name="step" value="password">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autofocus autocomplete="current-password"${invalid}>${error}
    <input id="kc-login" name="login" type="submit" value="Sign In">
  </form>`,
  );
}

/** An interstitial after the credentials: the user is signed in at the IdP and continues to the app. */
export function continuePage({ realm, action, username }: { realm: string; action: string; username: string }): string {
  return page(
    realm,
    `<h1 id="kc-page-title">You are signed in</h1>
  <p class="instruction">Signed in as ${escapeHtml(username)}.</p>
  <form action="${escapeHtml(action)}" method="post">
    <input type="hidden" name="step" value="continue">
    <button id="kc-continue" type="submit">Continue</button>
  </form>`,
  );
}

/** A consent page: the user grants the client access to their profile, or declines. */
export function consentPage({
  realm,
  action,
  clientName,
}: {
  realm: string;
  action: string;
  clientName: string;
}): string {
  return page(
    realm,
    `<h1 id="kc-page-title">Grant access to ${escapeHtml(clientName)}</h1>
  <p class="instruction">${escapeHtml(clientName)} wants to read your profile and email address.</p>
  <form action="${escapeHtml(action)}" method="post">
    <input type="hidden" name="step" value="consent">
    <button id="kc-accept" name="decision" value="accept" type="submit">Yes</button>
    <button id="kc-decline" name="decision" value="decline" type="submit">No</button>
  </form>`,
  );
}

/** Every IdP page: Keycloak's header with the realm, and the page's content. */
function page(realm: string, content: string): string {
  return htmlDocument(
    `Sign in to ${realm}`,
    `<div id="kc-header"><div id="kc-header-wrapper">${escapeHtml(realm)}</div></div>
<div id="kc-content">
  ${content}
</div>`,
  );
}

export type ErrorPage = {
  realm: string;
  /** The sentence Keycloak shows for this error, e.g. "Invalid parameter: redirect_uri". */
  summary: string;
  error: string;
  description?: string;
};

export function errorPage({ realm, summary, error, description }: ErrorPage): string {
  const oauth = description ? `${error}: ${description}` : error;
  return page(
    realm,
    `<h1 id="kc-page-title">We are sorry...</h1>
  <div id="kc-error-message">
    <p class="instruction">${escapeHtml(summary)}<br><span class="kc-oauth-error">(${escapeHtml(oauth)})</span></p>
  </div>`,
  );
}

/** Keycloak's wording for the OAuth errors a browser can land on. */
export function keycloakSummary(error: string): string {
  switch (error) {
    case 'invalid_redirect_uri':
      return 'Invalid parameter: redirect_uri';
    case 'invalid_client':
      return 'Client not found.';
    case 'unsupported_response_type':
      return 'Invalid parameter: response_type';
    case 'invalid_scope':
      return 'Invalid scopes';
    case 'unauthorized_client':
      return 'Client is not allowed to initiate browser login with given response_type.';
    case 'invalid_request':
      return 'Invalid Request';
    case 'server_error':
      return 'An internal server error has occurred';
    default:
      return 'An error occurred, please login again through your application.';
  }
}
