import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A folder packgate.yaml names that is not there is said once, at its field, with the folder it was
 * likely meant to be. Before: `environments_dir: environment` linted "catalogue ok: 8 packs, 0
 * environments" (exit 0, so a gate ran nowhere), `packs_dir: pack` was 36 errors at the faults that
 * name the packs, and `seeds_dir` naming a file crashed lint with ENOTDIR (exit 1).
 */
test('packs_dir, environments_dir or seeds_dir naming no folder is one error each, at its field, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packgate.yaml', text =>
    text
      .replace('packs_dir: packs', 'packs_dir: pack')
      .replace('environments_dir: environments', 'environments_dir: environment')
      .replace('seeds_dir: seeds', 'seeds_dir: package.json'),
  );
  const result = await project.packgate(['lint']);
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe(
    [
      'packgate.yaml:5:12 packs_dir: folder "pack" does not exist: the catalogue has none of the packs',
      '  hint: did you mean "packs"?',
      'packgate.yaml:6:19 environments_dir: folder "environment" does not exist: the catalogue has none of the environment descriptors',
      '  hint: did you mean "environments"?',
      'packgate.yaml:7:12 seeds_dir: "package.json" is a file, not a folder: the catalogue has none of the seed sets',
      '  hint: name a folder, or point seeds_dir at the folder that holds the seed sets',
      '',
      '3 errors in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('a folder left at its default may be absent: a project with no seed sets yet lints by what it has', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packgate.yaml', text => text.replace('seeds_dir: seeds\n', ''));
  project.write({ seeds: null });
  const result = await project.packgate(['lint']);
  expect(result.stdout).not.toContain('packgate.yaml');
  expect(result.stdout).toMatch(
    /^packs\/auth-session\/pack\.yaml:\d+:\d+ seeds\[0\]: seed set "core" does not exist$/m,
  );
});

test('faults naming a folder is said at the field, with the file to name: not "remove or rename the folder"', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packgate.yaml', text => text.replace('faults: stack/faults.yaml', 'faults: stack'));
  const result = await project.packgate(['lint']);
  // Before: "stack:1:1 a folder, not a file", hint "remove or rename the folder": the reference stack's.
  expect(result.stdout).toBe(
    [
      'packgate.yaml:9:9 faults: "stack" is a folder: faults names the fault catalogue file',
      '  hint: name the file, e.g. faults: stack/faults.yaml',
      '',
      '1 error in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('a folder field of packgate.yaml left as "" is said to be empty, once, with what to name', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packgate.yaml', text => text.replace('output_dir: gate-results', 'output_dir: ""'));
  const result = await project.packgate(['lint']);
  // Before: 'Too small: expected string to have >=1 characters', and again as "not the project itself".
  expect(result.stdout).toBe(
    [
      'packgate.yaml:8:13 output_dir: "output_dir" is empty: name a folder inside the project, relative to packgate.yaml',
      '  hint: see schemas/project.schema.json for what this field takes',
      '',
      '1 error in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});
