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
  const invalid = failed ? ' aria-invalid="true"' : '';
  const error = failed
    ? '\n    <span id="input-error" class="kc-feedback-text" aria-live="polite">Invalid username or password.</span>'
    : '';
  return htmlDocument(
    `Sign in to ${realm}`,
    `<div id="kc-header"><div id="kc-header-wrapper">${escapeHtml(realm)}</div></div>
<div id="kc-content">
  <h1 id="kc-page-title">Sign in to your account</h1>
  <form id="kc-form-login" action="${escapeHtml(action)}" method="post">
    <label for="username">Username or email</label>
    <input id="username" name="username" type="text" value="${escapeHtml(username)}" autofocus autocomplete="username"${invalid}>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password"${invalid}>${error}
    <input id="kc-login" name="login" type="submit" value="Sign In">
  </form>
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
  return htmlDocument(
    `Sign in to ${realm}`,
    `<div id="kc-header"><div id="kc-header-wrapper">${escapeHtml(realm)}</div></div>
<div id="kc-content">
  <h1 id="kc-page-title">We are sorry...</h1>
  <div id="kc-error-message">
    <p class="instruction">${escapeHtml(summary)}<br><span class="kc-oauth-error">(${escapeHtml(oauth)})</span></p>
  </div>
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
