import { test } from './pack.gen.ts';
import { expectSignedInShell } from './journey.ts';

test('a user signs in through the IdP and lands in the shell with their identity', async ({
  page,
  pack,
  session,
  identity,
}) => {
  await expectSignedInShell(page, pack, session, identity);
});
