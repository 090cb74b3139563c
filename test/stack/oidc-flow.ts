import crypto from 'node:crypto';
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';

/**
 * The browser's side of the sign-in, over plain HTTP: one hop at a time (no redirect following),
 * so each test can assert every status and Location on the way. Cookies live in the request
 * context's jar, as they would in a browser.
 */

export async function hop(
  request: APIRequestContext,
  url: string,
  init: { form?: Record<string, string> } = {},
): Promise<APIResponse> {
  return init.form ? request.post(url, { form: init.form, maxRedirects: 0 }) : request.get(url, { maxRedirects: 0 });
}

export function locationOf(response: APIResponse, base: string): URL {
  const location = response.headers()['location'];
  expect(location, `HTTP ${response.status()} from ${response.url()} has a Location`).toBeTruthy();
  return new URL(location, base);
}

/** Every Set-Cookie header of a response (Playwright joins them in headers(), so read the array). */
export function setCookies(response: APIResponse): string[] {
  return response
    .headersArray()
    .filter(h => h.name.toLowerCase() === 'set-cookie')
    .map(h => h.value);
}

export type LoginForm = { page: APIResponse; html: string; action: URL };

/** GET the app's /login, follow it to the IdP and on to its login form. */
export async function openLoginForm(
  request: APIRequestContext,
  appUrl: string,
): Promise<LoginForm & { authorize: URL }> {
  const start = await hop(request, `${appUrl}/login`);
  expect(start.status(), 'GET /login redirects to the IdP').toBe(302);
  const authorize = locationOf(start, appUrl);
  const toForm = await hop(request, authorize.href);
  expect(
    [302, 303],
    `authorize redirects to the login form, got HTTP ${toForm.status()}: ${await toForm.text()}`,
  ).toContain(toForm.status());
  const formUrl = locationOf(toForm, authorize.href);
  expect(formUrl.pathname).toMatch(/\/login-actions\/authenticate\/[^/]+$/);
  const page = await hop(request, formUrl.href);
  expect(page.status(), 'the login form renders').toBe(200);
  const html = await page.text();
  const action = /<form id="kc-form-login" action="([^"]+)"/.exec(html)?.[1];
  expect(action, 'the login form has an action').toBeTruthy();
  return { authorize, page, html, action: new URL(action!.replace(/&amp;/g, '&'), formUrl) };
}

/** A PKCE authorize URL for the stack's client, as any client would build it. */
export function authorizeUrl(
  issuerUrl: string,
  params: { clientId: string; redirectUri: string; pkce?: boolean },
): string {
  const url = new URL(`${issuerUrl}/protocol/openid-connect/auth`);
  const verifier = crypto.randomBytes(32).toString('base64url');
  url.search = new URLSearchParams({
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    response_type: 'code',
    scope: 'openid profile email',
    state: crypto.randomBytes(12).toString('base64url'),
    nonce: crypto.randomBytes(12).toString('base64url'),
    ...(params.pkce === false
      ? {}
      : {
          code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
        }),
  }).toString();
  return url.href;
}
