import { test } from './pack.gen.ts';
import { expectWorkloadShown, launchFromCatalogue, launchableApps } from './journey.ts';

test('select an app, submit the launch and see the workload reach running', async ({ page, pack, seed }) => {
  const { small } = launchableApps(seed);
  await launchFromCatalogue(page, pack, small);
  await expectWorkloadShown(page, pack, { state: 'running', history: ['pending', 'starting', 'running'] });
});

test('a launch that cannot fit shows it failed, and why', async ({ page, pack, seed }) => {
  const { tooBig } = launchableApps(seed);
  await launchFromCatalogue(page, pack, tooBig);
  await expectWorkloadShown(page, pack, { state: 'failed', history: ['pending', 'failed'], reason: /GPU/ });
});
