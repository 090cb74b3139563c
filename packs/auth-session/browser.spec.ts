import { signedIn, test } from '../../fixtures/index.ts';
import { expectSignedInShell } from './journey.ts';

test.describe('auth-session browser', { tag: ['@pack:auth-session', '@layer:browser'] }, () => {
  test.use(signedIn);

  test('a user signs in through the IdP and lands in the shell with their identity', async ({
    page,
    pack,
    session,
  }) => {
    await expectSignedInShell(page, pack, session);
  });
});
