import { expect, test } from './pack.gen.ts';
import { launchableApps, settledWorkload, type Workload } from './journey.ts';

test('the catalogue lists every seeded app', async ({ userApi, pack, seed }) => {
  const { apps } = await userApi.json<{ apps: Array<{ id: string }> }>(pack.url('apps-api'));
  const { small, tooBig } = launchableApps(seed);
  expect(apps.map(a => a.id)).toEqual(expect.arrayContaining([small.id, tooBig.id]));
});

test('a launch goes pending, starting, running', async ({ userApi, pack, seed }) => {
  const { small } = launchableApps(seed);
  const created = await userApi.post(pack.url('workloads-api'), { data: { app: small.id } });
  expect(created.status(), await created.text()).toBe(201);
  const workload = (await created.json()) as Workload;
  expect(workload).toMatchObject({ app: small.id, state: 'pending' });
  const settled = await settledWorkload(userApi, pack, workload.id);
  expect(settled.state, `reason: ${settled.reason}`).toBe('running');
  expect(settled.history).toEqual(['pending', 'starting', 'running']);
});

test('a launch that cannot fit fails with a reason', async ({ userApi, pack, seed }) => {
  const { tooBig } = launchableApps(seed);
  const created = await userApi.post(pack.url('workloads-api'), { data: { app: tooBig.id } });
  expect(created.status(), await created.text()).toBe(201);
  const settled = await settledWorkload(userApi, pack, ((await created.json()) as Workload).id);
  expect(settled.state).toBe('failed');
  expect(settled.reason, 'a failed workload says why').toMatch(/GPU/);
});

test('launching an app that does not exist is refused', async ({ userApi, pack }) => {
  const refused = await userApi.post(pack.url('workloads-api'), { data: { app: 'packgate-no-such-app' } });
  expect(refused.status()).toBe(404);
});
