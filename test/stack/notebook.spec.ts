import { expect, test, type APIRequestContext } from '@playwright/test';
import { signIn } from './session.ts';
import { startStack, type RunningStack } from './start-stack.ts';

/** The notebook service through the proxy's /notebooks/ route: owner only, 401/403/404 otherwise. */

let stack: RunningStack;
let ada: APIRequestContext;
let grace: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  stack = await startStack();
  [ada, grace] = await Promise.all([1, 2].map(() => playwright.request.newContext()));
  await signIn(ada, stack, 'ada');
  await signIn(grace, stack, 'grace');
});

test.afterAll(async () => {
  await Promise.all([ada, grace].map(c => c?.dispose()));
  await stack?.stop();
});

test('the owner opens the notebook lab through the proxy', async () => {
  const response = await ada.get(`${stack.appUrl}/notebooks/nb-ada-vision/lab`);
  expect(response.status()).toBe(200);
  expect(response.headers()['x-served-by']).toBe('notebook');
  const html = await response.text();
  expect(html).toContain('<h1 data-testid="notebook-title">Vision experiments</h1>');
  expect(html).toContain('<dd data-testid="kernel-status">idle</dd>');
  expect(html).toContain('<dd data-testid="notebook-owner">ada</dd>');

  const status = await ada.get(`${stack.appUrl}/notebooks/nb-ada-vision/api/status`);
  expect(status.status()).toBe(200);
  expect(await status.json()).toEqual({
    id: 'nb-ada-vision',
    name: 'Vision experiments',
    owner: 'ada',
    project: 'acme-vision',
    kernel: 'idle',
  });
  expect((await grace.get(`${stack.appUrl}/notebooks/nb-grace-nlp/lab`)).status(), 'grace opens hers').toBe(200);
});

test('the access log shows the notebooks route for a notebook request', async () => {
  const response = await ada.get(`${stack.appUrl}/notebooks/nb-ada-vision/lab`, {
    headers: { 'x-correlation-id': 'pg-notebook-route-1' },
  });
  expect(response.status()).toBe(200);
  const log = await ada.get(`${stack.appUrl}/__stack/access-log?correlation_id=pg-notebook-route-1`);
  expect((await log.json()).lines).toEqual([
    expect.objectContaining({
      route: 'notebooks',
      upstream: 'notebook',
      path: '/notebooks/nb-ada-vision/lab',
      status: 200,
    }),
  ]);
});

test('without a session 401, as HTML for the lab and JSON for the API', async ({ request }) => {
  const lab = await request.get(`${stack.appUrl}/notebooks/nb-ada-vision/lab`);
  expect(lab.status()).toBe(401);
  expect(await lab.text()).toContain('data-testid="notebook-error"');
  const status = await request.get(`${stack.appUrl}/notebooks/nb-ada-vision/api/status`);
  expect(status.status()).toBe(401);
  expect((await status.json()).error).toBe('unauthenticated');
});

test("another user's notebook is 403; an unknown notebook or path is 404", async () => {
  expect((await grace.get(`${stack.appUrl}/notebooks/nb-ada-vision/lab`)).status()).toBe(403);
  expect((await ada.get(`${stack.appUrl}/notebooks/nb-grace-nlp/api/status`)).status()).toBe(403);
  expect((await ada.get(`${stack.appUrl}/notebooks/nb-nobody/lab`)).status()).toBe(404);
  for (const path of ['/notebooks/nb-ada-vision', '/notebooks/nb-ada-vision/tree', '/notebooks/x/nb-ada-vision/lab'])
    expect((await ada.get(`${stack.appUrl}${path}`)).status(), path).toBe(404);
});
