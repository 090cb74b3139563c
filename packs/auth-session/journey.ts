import type { Page } from '@playwright/test';
import { expect, type PackContext, type SignedInSession } from '../../fixtures/index.ts';

/** The steps a successful sign-in walks, in order: the proof the pack requires. */
export const SIGN_IN_STEPS = [
  'app-sent-to-idp',
  'idp-showed-form',
  'idp-accepted-credentials',
  'app-accepted-callback',
  'landed-in-app',
];

/** The user reached the shell through the whole sign-in, and the shell shows who they are. */
export async function expectSignedInShell(page: Page, pack: PackContext, session: SignedInSession): Promise<void> {
  expect(
    session.journey.map(s => s.step),
    'the sign-in walked every step from the app through the IdP and back',
  ).toEqual(SIGN_IN_STEPS);
  await page.goto(pack.url('shell'));
  await expect(page, 'a signed-in user stays in the shell instead of being sent to sign in again').toHaveURL(
    pack.url('shell'),
  );
  const identity = page.locator(pack.selector('user-identity'));
  await expect(identity).toContainText(session.user.name);
  await expect(identity).toContainText(session.user.username);
}
