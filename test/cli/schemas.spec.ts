import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

test('packgate schemas --json says ok as its exit code does, each schema file current, written or stale', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // Before: "error: unknown option '--json'" (exit 2), where lint, tests and refusals take it.
  const current = await project.packgate(['schemas', '--check', '--json']);
  expect(current.exitCode, current.output).toBe(0);
  const json = JSON.parse(current.stdout);
  expect(json).toMatchObject({ schemaVersion: 1, ok: true, check: true });
  expect(json.files).toContainEqual({ file: 'schemas/pack.schema.json', state: 'current' });

  project.edit('schemas/pack.schema.json', text => text.replace('"properties"', '"propertiez"'));
  const stale = await project.packgate(['schemas', '--check', '--json']);
  expect(stale.exitCode, stale.output).toBe(1);
  expect(JSON.parse(stale.stdout)).toMatchObject({ ok: false, check: true });
  expect(JSON.parse(stale.stdout).files).toContainEqual({ file: 'schemas/pack.schema.json', state: 'stale' });
  expect(stale.stderr).toBe('');
  // Without --json: the words, on stderr, as before.
  const words = await project.packgate(['schemas', '--check']);
  expect(words.exitCode).toBe(1);
  expect(words.stderr).toBe(
    'packgate: schemas/ is out of date with the zod schemas: pack.schema.json\n' +
      '  hint: run `npx packgate schemas` and commit the result\n',
  );

  const written = await project.packgate(['schemas', '--json']);
  expect(written.exitCode, written.output).toBe(0);
  expect(JSON.parse(written.stdout)).toMatchObject({ ok: true, check: false });
  expect(JSON.parse(written.stdout).files).toContainEqual({ file: 'schemas/pack.schema.json', state: 'written' });
  expect(project.read('schemas/pack.schema.json')).not.toContain('propertiez');
  expect((await project.packgate(['schemas', '--check'])).stdout).toBe('schemas/ is up to date\n');
});
