import { expect, type APIRequestContext } from '@playwright/test';
import { hop, locationOf, openLoginForm } from './oidc-flow.ts';
import { TEST_MEMBER_PASSWORD, TEST_PASSWORD, type RunningStack } from './start-stack.ts';

/** The seed users' passwords as the test stacks are started with them. */
export const PASSWORDS: Record<'ada' | 'grace', string> = { ada: TEST_PASSWORD, grace: TEST_MEMBER_PASSWORD };

/**
 * Signs a user in through the proxy and the IdP, one hop at a time, and leaves the session cookie
 * in the request context's jar (as a browser would keep it). Returns the cookie's value.
 */
export async function signIn(request: APIRequestContext, stack: RunningStack, user: 'ada' | 'grace'): Promise<string> {
  const { action } = await openLoginForm(request, stack.appUrl);
  const submitted = await hop(request, action.href, { form: { username: user, password: PASSWORDS[user] } });
  expect(submitted.status(), `the IdP accepts ${user}'s password`).toBe(303);
  const resumed = await hop(request, locationOf(submitted, action.href).href);
  const callback = await hop(request, locationOf(resumed, action.href).href);
  expect(callback.status(), `the callback signs ${user} in: ${await callback.text()}`).toBe(302);
  expect(locationOf(callback, stack.appUrl).pathname).toBe('/shell');
  const cookie = await sessionCookie(request);
  expect(cookie, 'the callback set the session cookie').toBeTruthy();
  return cookie!;
}

/** The gpuaas_session cookie the context holds, if any. */
export async function sessionCookie(request: APIRequestContext): Promise<string | undefined> {
  const { cookies } = await request.storageState();
  return cookies.find(c => c.name === 'gpuaas_session')?.value;
}
