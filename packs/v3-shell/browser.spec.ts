import { test } from './pack.gen.ts';
import { expectContextShown, expectContextSwitch, expectModesNavigable, type Context } from './journey.ts';

test('the shell shows the active tenant and project', async ({ page, pack, userApi }) => {
  const context = await userApi.json<Context>(pack.url('context'));
  await page.goto(pack.url('shell'));
  await expectContextShown(page, pack, context);
});

test('each major mode opens from the navigation', async ({ page, pack }) => {
  await expectModesNavigable(page, pack);
});

test('switching tenant and project shows the new context, survives a reload and reaches the API', async ({
  page,
  pack,
  userApi,
}) => {
  await expectContextSwitch(page, pack, userApi);
});
