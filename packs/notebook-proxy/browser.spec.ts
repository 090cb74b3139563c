import { test } from './pack.gen.ts';
import { notebooks, openNotebookFromShell } from './journey.ts';

test('the user opens their active notebook from the shell through the proxy route', async ({ page, pack, seed }) => {
  await openNotebookFromShell(page, pack, notebooks(seed, pack.identity().id).own);
});
