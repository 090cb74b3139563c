// The IdP's paths, apart from the IdP itself: the stack routes and logs by them before the IdP's
// library has loaded (stack/idp/lazy-idp.ts).

/** Keycloak's login form path below the issuer; the interaction uid follows it. */
export const LOGIN_ACTIONS_PATH = '/login-actions/authenticate';

/** The issuer's path without a trailing slash: '' for an issuer at the server root. */
export function issuerPath(issuer: string): string {
  return new URL(issuer).pathname.replace(/\/+$/, '');
}

/**
 * Log paths with interaction uids replaced: the uid is also the value of the provider's
 * interaction cookies, so a log that held it could be used to resume someone's sign-in.
 */
export function redactIdpPath(path: string): string {
  return path.replace(/\/(login-actions\/authenticate|protocol\/openid-connect\/auth)\/[^/]+/, '/$1/:uid');
}
