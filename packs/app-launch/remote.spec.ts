// The browser journey, unchanged against a deployment: URLs, selectors and accounts come from its descriptor.
import { test } from './pack.gen.ts';
import { expectWorkloadShown, launchFromCatalogue, launchableApps } from './journey.ts';

test('select an app, submit the launch and see the workload reach running', async ({ page, pack, seed }) => {
  const { small } = launchableApps(seed);
  await launchFromCatalogue(page, pack, small);
  await expectWorkloadShown(page, pack, { state: 'running', history: ['pending', 'starting', 'running'] });
});
