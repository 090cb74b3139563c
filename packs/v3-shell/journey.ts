import type { Page } from '@playwright/test';
import { expect, type Pack } from './pack.gen.ts';
import type { Api } from '../../fixtures/api.ts';

/** The shell's major modes a member reaches from its navigation, with the heading each shows. */
export const MEMBER_MODES = [
  { mode: 'overview', title: 'Overview' },
  { mode: 'apps', title: 'Apps' },
  { mode: 'workloads', title: 'Workloads' },
  { mode: 'notebooks', title: 'Notebooks' },
  { mode: 'allocations', title: 'Allocations' },
] as const;

export type Context = { tenant: { id: string; name: string }; project: { id: string; name: string } };
export type Tenant = { id: string; name: string; projects: Array<{ id: string; name: string }> };

/** The context to switch to: another of the user's tenants (and its first project) than the current one. */
export async function otherContext(userApi: Api, pack: Pack): Promise<{ current: Context; target: Context }> {
  const current = await userApi.json<Context>(pack.url('context'));
  const { tenants } = await userApi.json<{ tenants: Tenant[] }>(pack.url('tenants'));
  const tenant = tenants.find(t => t.id !== current.tenant.id && t.projects.length);
  expect(
    tenant,
    `the user is a member of a second tenant with a project (has ${tenants.map(t => t.id).join(', ')})`,
  ).toBeTruthy();
  return { current, target: { tenant: { id: tenant!.id, name: tenant!.name }, project: tenant!.projects[0] } };
}

/** Puts the session back in the context it had: the worker's session is shared with other tests. */
export async function restoreContext(userApi: Api, pack: Pack, context: Context): Promise<void> {
  const response = await userApi.put(pack.url('context'), {
    data: { tenant: context.tenant.id, project: context.project.id },
  });
  expect(response.status(), 'the context is restored for the tests after this one').toBe(200);
}

/** The shell's header shows this context. */
export async function expectContextShown(page: Page, pack: Pack, context: Context): Promise<void> {
  await expect(page.locator(pack.selector('tenant-context'))).toHaveText(context.tenant.name);
  await expect(page.locator(pack.selector('project-context'))).toHaveText(context.project.name);
}

/** Every major mode opens from the navigation: its heading shows and its link is marked current. */
export async function expectModesNavigable(page: Page, pack: Pack): Promise<void> {
  await page.goto(pack.url('shell'));
  for (const { mode, title } of MEMBER_MODES) {
    const link = page.locator(pack.selector('nav', { mode }));
    await link.click();
    await expect(page.locator(pack.selector('mode-title')), `the ${mode} mode opens from the navigation`).toHaveText(
      title,
    );
    await expect(page.locator(pack.selector('nav', { mode })), `${mode} is marked as the current mode`).toHaveAttribute(
      'aria-current',
      'page',
    );
  }
}

/**
 * Switches tenant and project with the shell's switcher: the header shows the new context, it
 * survives a reload, and the API acts on it. Restores the previous context afterwards.
 */
export async function expectContextSwitch(page: Page, pack: Pack, userApi: Api): Promise<void> {
  const { current, target } = await otherContext(userApi, pack);
  try {
    await page.goto(pack.url('shell'));
    await expectContextShown(page, pack, current);
    await page.locator(pack.selector('tenant-switcher')).selectOption(target.tenant.id);
    await page.locator(pack.selector('project-switcher')).selectOption(target.project.id);
    await page.locator(pack.selector('context-apply')).click();
    await expectContextShown(page, pack, target);
    await page.reload();
    await expectContextShown(page, pack, target);
    const seen = await userApi.json<Context>(pack.url('context'));
    expect(seen, 'the API acts on the context switched in the shell').toMatchObject({
      tenant: { id: target.tenant.id },
      project: { id: target.project.id },
    });
  } finally {
    await restoreContext(userApi, pack, current);
  }
}

/** An origin that is not the app's: the app's host under another name, as a hostile page would be. */
export function foreignOrigin(appUrl: string): string {
  const app = new URL(appUrl);
  return `${app.protocol}//packgate-foreign.${app.hostname}`;
}
