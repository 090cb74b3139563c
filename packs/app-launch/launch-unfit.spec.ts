import { test } from './pack.gen.ts';
import { expectWorkloadShown, launchFromCatalogue, launchableApps } from './journey.ts';

// A launch that cannot fit, as the user sees it fail: at the browser layer only (pack.yaml); against a
// deployment, the pack proves the launch that runs (launch.spec.ts).

test('a launch that cannot fit shows it failed, and why', async ({ page, pack, seed }) => {
  const { tooBig } = launchableApps(seed);
  await launchFromCatalogue(page, pack, tooBig);
  await expectWorkloadShown(page, pack, { state: 'failed', history: ['pending', 'failed'], reason: /GPU/ });
});
