import { expect, refuses, test } from './pack.gen.ts';
import { notebooks } from './journey.ts';

// A notebook is its owner's alone, on each of its routes through the proxy. Besides the status, the
// answer must carry nothing of the notebook: neither its name nor its owner.

test("another user's notebook status is refused", refuses('foreign-notebook'), async ({ userApi, pack, seed }) => {
  const { foreign } = notebooks(seed, pack.identity().id);
  const refused = await userApi.get(pack.url('notebook-status', { id: foreign.id }));
  expect(refused.status()).toBe(403);
  const body = await refused.text();
  expect(body, "the other user's notebook name is not in the answer").not.toContain(foreign.name);
  expect(body, 'nor its owner').not.toContain(seed.user(foreign.user).username);
});

test(
  "another user's notebook lab page is refused",
  refuses('foreign-notebook-lab'),
  async ({ userApi, pack, seed }) => {
    const { foreign } = notebooks(seed, pack.identity().id);
    const refused = await userApi.get(pack.url('notebook', { id: foreign.id }));
    expect(refused.status()).toBe(403);
    expect(await refused.text(), "the other user's notebook is not rendered").not.toContain(foreign.name);
  },
);

test(
  'without a session the notebook route serves nothing',
  refuses('visitor-notebook'),
  async ({ api, pack, seed }) => {
    const { own } = notebooks(seed, pack.identity().id);
    const refused = await api.get(pack.url('notebook-status', { id: own.id }));
    expect(refused.status()).toBe(401);
    expect(await refused.text(), 'nothing of the notebook in the answer').not.toContain(own.name);
  },
);
