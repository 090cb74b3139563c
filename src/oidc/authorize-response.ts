import type { APIResponse } from '@playwright/test';
import { recordSecretsInUrl } from '../evidence/secrets-seen.ts';
import type { EnvironmentDescriptor } from '../environment/resolve.ts';
import type { EnvValue } from '../schema/common.ts';
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

/**
 * The probe of the app's own callback in one sentence: the IdP's answer and, when it refused, the
 * setting to check where it is set (field, file, env var), as `env check` and the gate's
 * auth-session pack both say it. The IdP's words alone ("Client not found.") do not say which
 * setting sent what it refused. Takes the descriptor as written: the resolved environment no
 * longer says which env var gave a value.
 */
export function callbackProbeSummary(probe: AuthorizeProbe, descriptor: EnvironmentDescriptor): string {
  return probe.accepted ? probe.summary : `${probe.summary}; ${settingToCheck(probe, descriptor)}`;
}

/**
 * What to check when the authorize endpoint refuses the request: the callback, which the IdP must
 * register for the client, where its words name the redirect_uri; the scopes where they name those;
 * the client id where the IdP knows no such client (the app's sign-ins can still pass then, with the
 * app's own client id); both client and callback where the words say neither (an empty 403).
 */
function settingToCheck(probe: AuthorizeProbe, { file, value: { oidc } }: EnvironmentDescriptor): string {
  const refusal = probe.refusal ?? '';
  const envVar = (value: EnvValue | undefined) => (typeof value === 'object' ? ` (${value.env})` : '');
  const client = `check oidc.client_id in ${file}${envVar(oidc.clientId)} is the app's client id at the IdP`;
  const callbackField = oidc.redirectUri
    ? `redirect_uri in ${file}${envVar(oidc.redirectUri)}`
    : `redirect_path in ${file}`;
  const callback =
    `check the IdP registers ${probe.redirectUri} as a redirect URI of client ${probe.clientId}, ` +
    `or set oidc.${callbackField} to the callback it registers`;
  if (/redirect/i.test(refusal)) return callback;
  if (/scope/i.test(refusal))
    return `check oidc.scopes in ${file} (${oidc.scopes.join(' ')}) are scopes the IdP grants client ${probe.clientId}`;
  if (/client/i.test(refusal)) return client;
  return `${client}, and ${callback.replace(/^check /, '')}`;
}
