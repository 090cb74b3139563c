import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A path's placeholders are `{name}`; any other brace (`{{id}}` from a template language, `{ id }`)
 * is never filled, and reached the URL as written: lint said "catalogue ok", and the journey asked
 * for `/notebooks/{nb-1}/lab`. Said where it is written, in a pack's paths and an override alike.
 */
test('a brace of a path that is no {name} placeholder fails lint where it is written, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packs/notebook-proxy/pack.yaml', text =>
    text.replace('  notebook: /notebooks/{id}/lab', '  notebook: /notebooks/{{id}}/lab'),
  );
  project.edit('environments/parity.yaml', text =>
    text.replace("path: '/{id}/api/status'", "path: '/{ id }/api/status'"),
  );
  const result = await project.packgate(['lint']);
  const problem = (brace: string) =>
    `"${brace}" is no placeholder: a placeholder is {name} (a letter, then letters, digits, - or _), ` +
    'and any other brace would reach the URL unfilled';
  expect(result.stdout).toBe(
    [
      `environments/parity.yaml:43:45 overrides.notebook-proxy.paths.notebook-status.path: ${problem('{ id }')}`,
      '  hint: write each placeholder as {name}, e.g. /items/{id}',
      `packs/notebook-proxy/pack.yaml:48:13 paths.notebook: ${problem('{{id}}')}`,
      '  hint: write each placeholder as {name}, e.g. /items/{id}',
      '',
      '2 errors in 2 files',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});
