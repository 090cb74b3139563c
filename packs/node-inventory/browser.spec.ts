import { test } from './pack.gen.ts';
import { expectInventoryPage, seededNodes } from './journey.ts';

test("the operator's inventory shows nodes, readiness, blockers and task evidence", async ({ page, pack, seed }) => {
  await expectInventoryPage(page, pack, seededNodes(seed));
});
