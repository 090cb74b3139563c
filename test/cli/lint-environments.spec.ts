import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * What a platform team writing its first descriptor meets: files and values packgate would have read
 * otherwise than they meant, each refused by lint where it is written, exit 2.
 */

test('an environment written as .yml is said to be unread, with the name to give it; not "catalogue ok"', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.write({
    'environments/acme.yml': project.read('environments/demo.yaml').replace('name: demo', 'name: acme'),
    'environments/local.yml': 'name: local\n',
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(
    [
      'environments/acme.yml:1:1 environments/acme.yml is not read: packgate reads environment files named *.yaml',
      '  hint: rename it to environments/acme.yaml',
      'environments/local.yml:1:1 environments/local.yml is not read: packgate reads environment files named *.yaml',
      '  hint: environments/local.yaml is the environment packgate reads: move what local.yml adds there, and remove local.yml',
      '',
      '2 errors in 2 files',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});
