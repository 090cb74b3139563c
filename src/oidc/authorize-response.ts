import type { APIResponse } from '@playwright/test';
import { recordSecretsInUrl } from '../evidence/secrets-seen.ts';
import { errorTextOf } from './error-text.ts';

/** What the IdP's authorize endpoint did with one authorization request. */
export type AuthorizeProbe = {
  clientId: string;
  redirectUri: string;
  status: number;
  /** Where the IdP sent the browser, if it redirected. */
  location?: string;
  /** The IdP went on to sign-in (its form, or a redirect to it) rather than refusing. */
  accepted: boolean;
  /** Whether the IdP redirected to the requested redirect_uri (with a code, or with an error). */
  redirectedToClient: boolean;
  /** The IdP's own words when it refused. */
  refusal?: string;
  /** One sentence for assertion messages and the gate's reason. */
  summary: string;
};

/**
 * Reads an authorize response. A refusal is any 4xx/5xx (with whatever words the page has, an empty
 * page included) or a redirect back to the client carrying `error`; anything else means the IdP went
 * on towards sign-in.
 */
export async function describeAuthorizeResponse(
  response: APIResponse,
  redirectUri: string,
  clientId: string,
): Promise<AuthorizeProbe> {
  const status = response.status();
  const location = response.headers()['location'];
  const target = location ? new URL(location, response.url()) : undefined;
  recordSecretsInUrl(target?.href);
  const redirectedToClient = !!target && target.href.startsWith(redirectUri);
  let refusal: string | undefined;
  if (status >= 400) {
    refusal = errorTextOf(await response.text()) || '(empty page)';
  } else if (redirectedToClient) {
    const error = target!.searchParams.get('error');
    if (error) refusal = `${error}: ${target!.searchParams.get('error_description') ?? ''}`.trim();
  }
  const who = `redirect_uri ${redirectUri} for client ${clientId}`;
  return {
    clientId,
    redirectUri,
    status,
    location: target && `${target.origin}${target.pathname}`,
    accepted: refusal === undefined,
    redirectedToClient,
    refusal,
    summary:
      refusal === undefined
        ? `IdP accepted ${who} (HTTP ${status})`
        : `IdP refused ${who} (HTTP ${status}): ${refusal}`,
  };
}
