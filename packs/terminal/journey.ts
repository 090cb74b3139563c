import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import type { SeedData } from '../../fixtures/index.ts';
import { expect, type Pack } from './pack.gen.ts';

/** A seed allocation record, as this pack relies on it. */
export type Allocation = { id: string; user: string; node: string; state: 'active' | 'ended' };

/** How long a command's output may take to come back through the proxy. */
export const ECHO_BOUND_MS = 2000;

/** The identity's active and ended allocations, and another user's active one. */
export function allocations(
  seed: SeedData,
  identity: string,
): { active: Allocation; ended: Allocation; foreign: Allocation } {
  const all = seed.records<Allocation>('allocations');
  const active = all.find(a => a.user === identity && a.state === 'active');
  const ended = all.find(a => a.user === identity && a.state === 'ended');
  const foreign = all.find(a => a.user !== identity && a.state === 'active');
  expect(
    active && ended && foreign,
    `the seed has active and ended allocations of ${identity} and one of another user`,
  ).toBeTruthy();
  return { active: active!, ended: ended!, foreign: foreign! };
}

/** An origin that is not the app's: the app's host under another name, as a hostile page would be. */
export function foreignOrigin(appUrl: string): string {
  const app = new URL(appUrl);
  return `${app.protocol}//packgate-foreign.${app.hostname}`;
}

/** A word no earlier output contains, so the echo that comes back can only be this command's. */
export function nonce(): string {
  return `packgate-${crypto.randomBytes(6).toString('hex')}`;
}

/** Opens the allocation's terminal from the shell, runs `echo <nonce>` and sees it come back. */
export async function echoThroughTerminalPage(page: Page, pack: Pack, allocation: Allocation): Promise<void> {
  await page.goto(pack.url('allocations'));
  await page.locator(pack.selector('terminal-open', { allocation: allocation.id })).click();
  await expect(page).toHaveURL(pack.url('terminal', { allocation: allocation.id }));
  await expect(page.locator(pack.selector('terminal-status'))).toHaveText('connected');
  const word = nonce();
  await page.locator(pack.selector('terminal-input')).fill(`echo ${word}`);
  await page.locator(pack.selector('terminal-input')).press('Enter');
  await expect(page.locator(pack.selector('terminal-output'))).toContainText(word, { timeout: ECHO_BOUND_MS });
}
