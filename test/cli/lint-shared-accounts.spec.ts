import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * Two personas signing in as one account make every check that one may not do what the other may
 * (a member kept from an operator's nodes) sign in as the same user on both sides. Before: lint said
 * nothing, and those checks failed or passed for no reason of the product's.
 */
test('an environment mapping two personas to one account fails lint at the mapping, pointing at no_account_for, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // The mistake of a deployment with one test account: both personas mapped to it.
  project.edit('environments/demo.yaml', text =>
    text.replace(
      'layers: [remote]',
      'identities:\n  ada: { username: { env: DEMO_ADA, default: ada.lovelace } }\n  grace: { username: ada.lovelace }\nlayers: [remote]',
    ),
  );
  // Said as the descriptor says it, the persona has no account here: nothing to refuse.
  project.edit('environments/prod.yaml', text =>
    text.replace(
      'layers: [remote]',
      'identities:\n  grace: { username: ada }\nno_account_for: [grace]\nlayers: [remote]',
    ),
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/demo.yaml:25:22 identities.grace.username: personas "ada" and "grace" both sign in as "ada.lovelace" here: ' +
        'a check that one may not do what the other may would sign in as the same user on both sides, and prove nothing',
      '  hint: give "grace" a test account of its own; where the deployment has only one, say so: no_account_for: [grace]',
      '',
      '1 error in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('a seed set with two users of one user name, or one id twice, says which two, with what to do, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('seeds/core.yaml', text =>
    text
      .replace('    username: grace\n', '    username: ada\n')
      .replace(
        'records:',
        '  - id: ada\n    username: lovelace\n    name: A\n    email: a@example.test\n    password_secret: user-password\nrecords:',
      ),
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'seeds/core.yaml:19:15 users[1].username: users "ada" and "grace" both have user name "ada": they would sign in as one account',
      '  hint: give each user its own user name (an environment maps them to its accounts under identities:)',
      'seeds/core.yaml:24:9 users[2].id: user "ada" is listed twice (users[0] is the first)',
      '  hint: give each user an id of its own, or remove this one',
      '',
      '2 errors in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});
