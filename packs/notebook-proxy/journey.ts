import type { Page } from '@playwright/test';
import type { SeedData } from '../../fixtures/index.ts';
import { expect, type Pack } from './pack.gen.ts';

/** A seed notebook record, as this pack relies on it. */
export type Notebook = { id: string; user: string; project: string; name: string };

/** The identity's notebook (in its first project, the one a new session starts in) and someone else's. */
export function notebooks(seed: SeedData, identity: string): { own: Notebook; foreign: Notebook } {
  const all = seed.records<Notebook>('notebooks');
  const own = all.find(n => n.user === identity);
  const foreign = all.find(n => n.user !== identity);
  expect(own && foreign, `the seed has a notebook of ${identity} and one of another user`).toBeTruthy();
  return { own: own!, foreign: foreign! };
}

/** Opens the notebook from the shell's notebook list and checks it rendered through its proxy route. */
export async function openNotebookFromShell(page: Page, pack: Pack, notebook: Notebook): Promise<void> {
  await page.goto(pack.url('notebooks'));
  await page.locator(pack.selector('notebook-open', { id: notebook.id })).click();
  await expect(page, 'the notebook opens at its proxy route').toHaveURL(pack.url('notebook', { id: notebook.id }));
  await expect(page.locator(pack.selector('notebook-title'))).toHaveText(notebook.name);
  await expect(page.locator(pack.selector('kernel-status'))).toHaveText('idle');
}
