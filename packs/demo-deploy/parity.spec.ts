// A rolling restart of the app, as a deployment does one: the new replica's readiness goes red and
// back before the old one leaves, and the app host answers throughout. Only a stack with replicas
// (deployment shape) restarts; the `rollout` path is the environment's hook for it (overrides).
// That signed-in sessions survive it is v3-shell's parity spec: this pack signs no one in.
import { expect, test } from './pack.gen.ts';

type Rollout = { revision: number; events: Array<{ revision: number; phase: string }> };

test('a rolling restart of the app goes red and back on its new replica while the app host keeps answering', async ({
  api,
  pack,
}) => {
  const before = await api.json<Rollout>(pack.url('rollout'));
  const answers: number[] = [];
  let rolling = true;
  const traffic = (async () => {
    while (rolling) answers.push((await api.get(pack.url('app-health'))).status());
  })();
  const rolled = await api.post(pack.url('rollout'));
  rolling = false;
  await traffic;
  expect(rolled.status(), await rolled.text()).toBe(200);
  const after = (await rolled.json()) as Rollout;

  expect(after.revision, 'a new revision serves').toBeGreaterThan(before.revision);
  const phases = (revision: number) => after.events.filter(e => e.revision === revision).map(e => e.phase);
  expect(phases(after.revision), 'the new replica: not ready, then ready').toEqual(['starting', 'ready']);
  expect(phases(after.revision - 1).slice(-2), 'the old replica: out of routing, then gone').toEqual([
    'terminating',
    'gone',
  ]);
  const order = after.events.map(e => `${e.revision}:${e.phase}`);
  expect(
    order.indexOf(`${after.revision}:ready`),
    'the old replica leaves only once the new one is ready (maxUnavailable 0)',
  ).toBeLessThan(order.indexOf(`${after.revision - 1}:terminating`));
  expect(answers.length, 'the app host was asked during the rollout').toBeGreaterThan(0);
  expect(
    answers.filter(status => status !== 200),
    'no answer during the rollout was an error',
  ).toEqual([]);
});
