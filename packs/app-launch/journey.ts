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
