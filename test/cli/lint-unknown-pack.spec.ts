import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A pack named that does not exist, a typo away from one that does, gets the did-you-mean every
 * other misspelt name of the catalogue gets (a seed set, a field, a value). Before: the list of all
 * the packs, to search by eye, wherever it was named.
 */
test('a misspelt pack in packs.exclude, overrides, depends_on or the faults gets a did-you-mean, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit(
    'environments/demo.yaml',
    text =>
      `${text}packs:\n  exclude:\n    - { pack: node-inventry, reason: "our nodes are listed elsewhere" }\n` +
      'overrides:\n  v3shell: { paths: { shell: /home } }\n',
  );
  project.edit('packs/terminal/pack.yaml', text =>
    text.replace('depends_on: [auth-session]', 'depends_on: [auth-sesion]'),
  );
  project.edit('stack/faults.yaml', text => text.replace('pack: auth-session', 'pack: auth-sessions'));
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/demo.yaml:28:15 packs.exclude[0].pack: pack "node-inventry" does not exist',
      '  hint: did you mean "node-inventory"?',
      'environments/demo.yaml:30:12 overrides.v3shell: pack "v3shell" does not exist',
      '  hint: did you mean "v3-shell"?',
      'packs/terminal/pack.yaml:28:14 depends_on[0]: pack "auth-sesion" does not exist',
      '  hint: did you mean "auth-session"?',
      'stack/faults.yaml:9:11 faults[0].pack: fault "callback-unregistered" names pack "auth-sessions", which does not exist',
      '  hint: did you mean "auth-session"?',
      '',
      '4 errors in 3 files',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('a pack name near none is answered with the packs there are', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packs/terminal/pack.yaml', text => text.replace('depends_on: [auth-session]', 'depends_on: [billing]'));
  const result = await project.packgate(['lint']);
  expect(result.stdout).toContain(
    'depends_on[0]: pack "billing" does not exist\n  hint: known packs: app-launch, auth-session, demo-deploy,',
  );
});
