import { expect, test } from '@playwright/test';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/server.ts';
import { openStore } from '../../src/store/open.ts';
import { openStoreReadOnly } from '../../src/store/open-read-only.ts';
import type { QueueStore } from '../../src/store/queue-store.ts';
import { seedDashboard, type Seeded } from '../helpers/dashboard-seed.ts';

/**
 * The dashboard's pages as a person's browser meets them, over a seeded store and the server run in
 * this process (the CLI around it is test/cli/dashboard.spec.ts's): what a page says when what it
 * names is not there.
 */
test.describe.configure({ mode: 'serial', timeout: 60_000 });

let seeded: Seeded;
let reader: QueueStore;
let dashboard: RunningDashboard;

test.beforeAll(async ({}, testInfo) => {
  const location = { kind: 'sqlite' as const, path: testInfo.outputPath('store/queue.db') };
  seeded = await seedDashboard(options => openStore(location, options), testInfo.outputPath('runs'));
  reader = await openStoreReadOnly(location);
  dashboard = await startDashboard(reader, { host: '127.0.0.1', port: 0 });
});

test.afterAll(async () => {
  await dashboard?.close();
  await reader?.close();
});

/** What a browser's address bar sends; fetch's own default is `*\/*`, as curl's is. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

test("an unknown page, task or run is a 404 page in the dashboard's layout saying what is missing and linking back; the API answers JSON", async () => {
  for (const [path, message, back] of [
    ['/nope', 'no page /nope', '<a href="/">Back to the release view</a>'],
    ['/tasks/NOPE', 'no task NOPE', '<a href="/queue">Back to the queue view</a>'],
    [
      `/runs/${seeded.taskRun + 1000}`,
      `no gate run ${seeded.taskRun + 1000}`,
      '<a href="/runs">Back to the gate runs view</a>',
    ],
    ['/runs/abc', 'no gate run abc', '<a href="/runs">Back to the gate runs view</a>'],
  ])
    for (const accept of [BROWSER_ACCEPT, '*/*', undefined]) {
      const what = `${path} (Accept: ${accept ?? 'none'})`;
      const response = await fetch(new URL(path, dashboard.url), { headers: accept ? { accept } : {} });
      // Before: with any Accept but text/html, {"error":{"code":"NOT_FOUND",...}} as JSON.
      expect([response.status, response.headers.get('content-type')], what).toEqual([404, 'text/html; charset=utf-8']);
      const page = await response.text();
      expect(page, what).toContain('<nav aria-label="Views">');
      expect(page, what).toContain('<h1>Not found</h1>');
      expect(page, what).toContain(`<p class="error">${message}</p>`);
      expect(page, what).toContain(back);
    }
  // A name in the path is shown as text, never as markup.
  const hostile = await (await fetch(new URL('/tasks/%3Cscript%3Ealert(1)%3C%2Fscript%3E', dashboard.url))).text();
  expect(hostile).not.toContain('<script>alert');

  // The API answers its 404 as JSON, whatever the client accepts.
  for (const path of ['/api/tasks/NOPE', '/api/runs/abc', '/api/nope', '/api'])
    for (const accept of [BROWSER_ACCEPT, undefined]) {
      const response = await fetch(new URL(path, dashboard.url), { headers: accept ? { accept } : {} });
      expect([response.status, response.headers.get('content-type')], path).toEqual([
        404,
        'application/json; charset=utf-8',
      ]);
      expect(((await response.json()) as { error: { code: string } }).error.code, path).toBe('NOT_FOUND');
    }
});
