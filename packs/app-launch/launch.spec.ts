import { test } from './pack.gen.ts';
import { expectWorkloadShown, launchFromCatalogue, launchableApps } from './journey.ts';

// A launch through the catalogue's page, to the running workload: in the browser, and unchanged
// against a deployment (its URLs, selectors and accounts come from the environment's descriptor).

test('select an app, submit the launch and see the workload reach running', async ({ page, pack, seed }) => {
  const { small } = launchableApps(seed);
  await launchFromCatalogue(page, pack, small);
  await expectWorkloadShown(page, pack, { state: 'running', history: ['pending', 'starting', 'running'] });
});
