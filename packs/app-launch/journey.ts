import type { Page } from '@playwright/test';
import type { SeedData } from '../../fixtures/index.ts';
import { expect, type Pack } from './pack.gen.ts';
import type { Api } from '../../fixtures/api.ts';

/** A seed app record, as this pack relies on it. */
export type App = { id: string; name: string; gpus: number };

export type Workload = {
  id: string;
  app: string;
  project: string;
  user?: string;
  state: string;
  reason?: string | null;
  history: string[];
};

/** The app every launch check starts (the cheapest one) and the one too big for a project (fails with a reason). */
export function launchableApps(seed: SeedData): { small: App; tooBig: App } {
  const apps = seed.records<App>('apps').sort((a, b) => a.gpus - b.gpus);
  expect(apps.length, 'the seed has apps of different sizes').toBeGreaterThan(1);
  return { small: apps[0], tooBig: apps.at(-1)! };
}

/** Polls the workload until it settles (running or failed), returning it as last seen. */
export async function settledWorkload(userApi: Api, pack: Pack, id: string, timeoutMs = 5_000): Promise<Workload> {
  let last: Workload | undefined;
  await expect
    .poll(
      async () => {
        last = await userApi.json<Workload>(pack.url('workload-api', { id }));
        return last.state;
      },
      { message: `workload ${id} leaves pending and starting`, timeout: timeoutMs, intervals: [100, 200] },
    )
    .toMatch(/^(running|failed)$/);
  return last!;
}

/** Launches `app` from the catalogue page and returns the workload page's id. */
export async function launchFromCatalogue(page: Page, pack: Pack, app: App): Promise<string> {
  await page.goto(pack.url('apps'));
  await expect(page.locator(pack.selector('app-card', { app: app.id }))).toContainText(app.name);
  await page.locator(pack.selector('app-launch', { app: app.id })).click();
  await page.locator(pack.selector('launch-submit')).click();
  await expect(page, 'the launch lands on its workload page').toHaveURL(
    new RegExp(`${pack.path('workload', { id: 'ID' }).replace('ID', '[^/]+')}$`),
  );
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** The workload page shows the state the API reports, and the states it went through. */
export async function expectWorkloadShown(
  page: Page,
  pack: Pack,
  expected: { state: string; history: string[]; reason?: RegExp },
) {
  await expect(page.locator(pack.selector('workload-state'))).toHaveText(expected.state, { timeout: 5_000 });
  await expect(page.locator(pack.selector('workload-history'))).toHaveText(expected.history);
  if (expected.reason) await expect(page.locator(pack.selector('workload-reason'))).toHaveText(expected.reason);
}

type Project = { id: string; tenant: string; gpus: number };
type Membership = { user: string; tenant: string };
type ActiveAllocation = { project: string; state: string; gpus: number };

/**
 * The projects the refusals launch into: one of the identity's tenants that the persona is not in
 * (`foreign`), and one of the identity's whose active allocations hold its whole GPU quota (`full`).
 */
export function refusalProjects(
  seed: SeedData,
  identity: string,
  persona: string,
): { foreign: Project; full: Project } {
  const projects = seed.records<Project>('projects');
  const memberships = seed.records<Membership>('memberships');
  const tenantsOf = (user: string) => new Set(memberships.filter(m => m.user === user).map(m => m.tenant));
  const mine = tenantsOf(identity);
  const theirs = tenantsOf(persona);
  const inUse = (project: string) =>
    seed
      .records<ActiveAllocation>('allocations')
      .filter(a => a.project === project && a.state === 'active')
      .reduce((sum, a) => sum + a.gpus, 0);
  const foreign = projects.find(p => mine.has(p.tenant) && !theirs.has(p.tenant));
  const full = projects.find(p => mine.has(p.tenant) && inUse(p.id) >= p.gpus);
  expect(foreign, `the seed has a project of ${identity}'s in a tenant ${persona} is not in`).toBeTruthy();
  expect(full, `the seed has a project of ${identity}'s whose allocations hold all its GPUs`).toBeTruthy();
  return { foreign: foreign!, full: full! };
}

/** The workloads of a project, listed by a member of it. */
export async function workloadsIn(api: Api, pack: Pack, project: string): Promise<Workload[]> {
  const url = `${pack.url('workloads-api')}?project=${encodeURIComponent(project)}`;
  return (await api.json<{ workloads: Workload[] }>(url)).workloads;
}

/** The app the refusals try to launch: one no launch journey starts, so a workload of it can only be theirs. */
export function refusalApp(seed: SeedData): App {
  const { small, tooBig } = launchableApps(seed);
  const app = seed.records<App>('apps').find(a => a.id !== small.id && a.id !== tooBig.id);
  expect(app, 'the seed has a third app, launched by no journey').toBeTruthy();
  return app!;
}

/** An origin that is not the app's: the app's host under another name, as a hostile page would be. */
export function foreignOrigin(appUrl: string): string {
  const app = new URL(appUrl);
  return `${app.protocol}//packgate-foreign.${app.hostname}`;
}
