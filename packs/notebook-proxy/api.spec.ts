import { expect, test } from './pack.gen.ts';
import { notebooks } from './journey.ts';

// Whom a notebook is refused to (another user, a visitor) is refusals.spec.ts.

test("the user's notebook answers at its proxy route, from the notebook service", async ({ userApi, pack, seed }) => {
  const { own } = notebooks(seed, pack.identity().id);
  const status = await userApi.json<{ id: string; name: string; owner: string; kernel: string }>(
    pack.url('notebook-status', { id: own.id }),
  );
  expect(status).toMatchObject({ id: own.id, name: own.name, owner: pack.identity().username, kernel: 'idle' });
  const lab = await userApi.get(pack.url('notebook', { id: own.id }));
  expect(lab.status()).toBe(200);
  expect(await lab.text()).toContain(own.name);
});

test('the notebook list links each notebook to its proxy route', async ({ userApi, pack, seed }) => {
  const { own } = notebooks(seed, pack.identity().id);
  const listed = await userApi.json<{ notebooks: Array<{ id: string; url: string }> }>(pack.url('notebooks-api'));
  expect(
    listed.notebooks.find(n => n.id === own.id),
    `${own.id} is listed`,
  ).toMatchObject({
    url: pack.path('notebook', { id: own.id }),
  });
});
