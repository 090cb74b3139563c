import { test } from './pack.gen.ts';
import { allocations, echoThroughTerminalPage } from './journey.ts';

test("the allocation's terminal opens from the shell and echoes a command", async ({ page, pack, seed }) => {
  await echoThroughTerminalPage(page, pack, allocations(seed, pack.identity().id).active);
});
