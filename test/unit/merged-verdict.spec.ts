import { expect, test } from '@playwright/test';
import { assembledVerdict } from '../helpers/assembled-run.ts';

const verdictOf = (merged: boolean) => assembledVerdict({ merged });

test("a merge missing a shard's report says each pack's tests are in none of the merged reports, not that a filter chose a subset", () => {
  const merged = verdictOf(true);
  expect(merged.verdict).toBe('BLOCKED');
  const platformProxy = merged.packs.find(p => p.id === 'platform-proxy')!;
  expect(platformProxy.status).toBe('NOT_SELECTED');
  expect(platformProxy.reason).toMatch(/^in none of the merged reports \(a shard's blob report is missing\): "api: /);
  for (const pack of merged.packs) expect(pack.reason).not.toContain('a subset was chosen');
  // A run that was not merged chose its subset: that reason stays.
  expect(verdictOf(false).packs.find(p => p.id === 'platform-proxy')!.reason).toBe(
    'not selected by this run (a subset was chosen with --grep, --project or a file filter)',
  );
});
