// A rolling restart of the app must not sign anyone out: sessions live in the platform, not in a
// replica. (The restart's readiness is demo-deploy's parity spec.)
import { expect, test } from './pack.gen.ts';

test('a signed-in shell stays signed in through a rolling restart of the app', async ({ api, userApi, pack }) => {
  const before = (await api.json<{ revision: number }>(pack.url('rollout'))).revision;
  const answers: number[] = [];
  let rolling = true;
  const traffic = (async () => {
    while (rolling) answers.push((await userApi.get(pack.url('shell'), { maxRedirects: 0 })).status());
  })();
  const rolled = await api.post(pack.url('rollout'));
  rolling = false;
  await traffic;
  expect(rolled.status(), await rolled.text()).toBe(200);
  const after = ((await rolled.json()) as { revision: number }).revision;
  expect(after, 'a new revision serves').toBeGreaterThan(before);

  expect(answers.length, 'the shell was used during the rollout').toBeGreaterThan(0);
  expect(
    answers.filter(status => status !== 200),
    'no answer during the rollout was an error or a sign-in redirect',
  ).toEqual([]);
  const shell = await userApi.get(pack.url('shell'), { maxRedirects: 0 });
  expect(shell.status(), 'still signed in after the rollout').toBe(200);
  expect(Number(shell.headers()['x-revision']), 'served by a new replica').toBeGreaterThanOrEqual(after);
});
