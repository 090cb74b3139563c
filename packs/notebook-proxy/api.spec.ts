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

test('the notebook list links each notebook to its proxy route', async ({ userApi, pack, seed, urls }) => {
  const { own } = notebooks(seed, pack.identity().id);
  const listed = await userApi.json<{ notebooks: Array<{ id: string; url: string }> }>(pack.url('notebooks-api'));
  const link = listed.notebooks.find(n => n.id === own.id)?.url;
  expect(link, `${own.id} is listed`).toBeDefined();
  // A path is on the app's host; a deployment that gives notebooks a host of their own links there.
  expect(new URL(link!, urls.app('/')).href, 'the link is the notebook route').toBe(
    pack.url('notebook', { id: own.id }),
  );
});
