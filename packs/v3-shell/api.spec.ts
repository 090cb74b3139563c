import { expect, test } from './pack.gen.ts';
import { otherContext, restoreContext, type Context, type Tenant } from './journey.ts';

// The switches that must be refused (another tenant, a mismatched project, a forged form) are refusals.spec.ts.

test("the API reports the session's context, inside the user's tenants", async ({ userApi, pack }) => {
  const context = await userApi.json<Context>(pack.url('context'));
  const { tenants } = await userApi.json<{ tenants: Tenant[] }>(pack.url('tenants'));
  const tenant = tenants.find(t => t.id === context.tenant.id);
  expect(tenant, `the active tenant ${context.tenant.id} is one of the user's`).toBeTruthy();
  expect(
    tenant!.projects.map(p => p.id),
    'the active project belongs to the active tenant',
  ).toContain(context.project.id);
});

test('a context switch is honoured by later calls: context and project-scoped lists', async ({ userApi, pack }) => {
  const { current, target } = await otherContext(userApi, pack);
  const before = await userApi.json<{ notebooks: Array<{ project: string }> }>(pack.url('notebooks'));
  try {
    const switched = await userApi.put(pack.url('context'), {
      data: { tenant: target.tenant.id, project: target.project.id },
    });
    expect(switched.status(), await switched.text()).toBe(200);
    expect(await userApi.json(pack.url('context'))).toMatchObject({
      tenant: { id: target.tenant.id },
      project: { id: target.project.id },
    });
    const after = await userApi.json<{ notebooks: Array<{ project: string }> }>(pack.url('notebooks'));
    expect(
      after.notebooks.every(n => n.project === target.project.id),
      'lists follow the new project',
    ).toBe(true);
    expect(
      before.notebooks.every(n => n.project === current.project.id),
      'and followed the old one before',
    ).toBe(true);
  } finally {
    await restoreContext(userApi, pack, current);
  }
});
