import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/** `npm run typecheck` of the temp project: tsc with its own tsconfig.json. */
const typecheck = (project: TempProject) =>
  project.spawn([`${project.dir}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json', '--pretty', 'false']);

// Two whole-project tsc runs on a shared 2-core machine.
test.describe.configure({ timeout: 300_000 });

test('a misspelt path or selector name, or a missing placeholder, in a spec fails typecheck naming the file and the name', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const clean = await typecheck(project);
  expect(clean.exitCode, clean.output).toBe(0);

  project.edit('packs/v3-shell/browser.spec.ts', text => text.replace("pack.url('shell')", "pack.url('shel')"));
  project.edit('packs/v3-shell/journey.ts', text =>
    text.replace("page.locator(pack.selector('nav', { mode }))", "page.locator(pack.selector('nav'))"),
  );
  project.edit('packs/notebook-proxy/journey.ts', text =>
    text.replace(/\{ id: notebook\.id \}/, '{ ids: notebook.id }'),
  );
  // A misspelt name given values, in a pack none of whose paths takes one. Before: 'Expected 1
  // arguments, but got 2', naming neither the name nor the names there are.
  project.edit('packs/v3-shell/api.spec.ts', text =>
    text.replace(
      "userApi.json<Context>(pack.url('context'))",
      "userApi.json<Context>(pack.url('contxt', { tenant: 'acme' }))",
    ),
  );
  const typo = await typecheck(project);
  expect(typo.exitCode, typo.output).toBe(2);
  const errors = typo.stdout.split('\n').filter(line => line.includes('error TS'));
  expect(errors).toContainEqual(
    expect.stringMatching(
      /^packs\/v3-shell\/browser\.spec\.ts\(\d+,\d+\): error TS2345: Argument of type '"shel"' is not assignable to parameter of type '[^']*"shell"[^']*'\.$/,
    ),
  );
  expect(errors).toContainEqual(
    expect.stringMatching(/^packs\/v3-shell\/journey\.ts\(\d+,\d+\): error TS2554: Expected 2 arguments, but got 1\./),
  );
  expect(errors).toContainEqual(
    expect.stringMatching(
      /^packs\/notebook-proxy\/journey\.ts\(\d+,\d+\): error TS2353: .* 'ids' does not exist in type 'Record<"id", string>'\.$/,
    ),
  );
  expect(errors).toContainEqual(
    expect.stringMatching(
      /^packs\/v3-shell\/api\.spec\.ts\(\d+,\d+\): error TS2345: Argument of type '"contxt"' is not assignable to parameter of type '[^']*"context"[^']*'\.$/,
    ),
  );
  expect(errors, typo.stdout).toHaveLength(4);
});

test('packgate types --check names a pack.gen.ts that pack.yaml has outgrown and the command; packgate types brings it back', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  expect((await project.packgate(['types', '--check'])).exitCode).toBe(0);

  project.edit('packs/v3-shell/pack.yaml', text => `${text}  tenant-menu: '[data-testid=tenant-menu-{tenant}]'\n`);
  const stale = await project.packgate(['types', '--check']);
  expect(stale.exitCode, stale.output).toBe(1);
  expect(stale.stderr).toBe(
    'packgate: packs/v3-shell/pack.gen.ts is out of date with pack.yaml\n' +
      '  hint: run `npx packgate types` and commit the result\n',
  );

  const written = await project.packgate(['types']);
  expect(written.exitCode, written.output).toBe(0);
  expect(written.stdout).toBe('wrote packs/v3-shell/pack.gen.ts\n');
  expect(project.read('packs/v3-shell/pack.gen.ts')).toContain("  'tenant-menu': 'tenant';\n");
  expect((await project.packgate(['types', '--check'])).exitCode).toBe(0);
});

// Before: `npm run typecheck` was tsc alone, which reads pack.gen.ts: it judged the specs by the old
// names and passed, the edit of pack.yaml unseen.
test('npm run typecheck fails on a pack.gen.ts that pack.yaml has outgrown, saying to run packgate types', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packs/v3-shell/pack.yaml', text => `${text}  tenant-menu: '[data-testid=tenant-menu-{tenant}]'\n`);
  const stale = spawnSync('npm', ['run', '--silent', 'typecheck'], { cwd: project.dir, encoding: 'utf8' });
  expect(stale.status, stale.stdout + stale.stderr).not.toBe(0);
  expect(stale.stderr).toContain(
    'packgate: packs/v3-shell/pack.gen.ts is out of date with pack.yaml\n' +
      '  hint: run `npx packgate types` and commit the result\n',
  );
});

/** A new pack as its author first writes it: pack.yaml alone, its layers naming specs not written yet. */
const newPack = {
  'packs/fresh/pack.yaml': `schema_version: 1
id: fresh
title: A pack being written
journey: A journey whose specs are not written yet.
owner: C-ops
required_proof: the specs, once written, say
policy: { dev: advisory }
lowest_reliable_layer: api
layers: { api: api.spec.ts, browser: browser.spec.ts }
paths:
  allocations: /shell/allocations
  allocations-api: { base: api, path: /v1/allocations }
`,
};

test("packgate types writes a new pack's pack.gen.ts before its specs exist, listing them as still to do", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, newPack);
  // Before: exit 2, 'layer "api" has no spec file packs/fresh/api.spec.ts', and no pack.gen.ts: the
  // spec was to be written against the types the command refused to write.
  const types = await project.packgate(['types']);
  expect(types.exitCode, types.output).toBe(0);
  expect(types.stdout).toBe('wrote packs/fresh/pack.gen.ts\n');
  expect(project.read('packs/fresh/pack.gen.ts')).toContain("  'allocations-api': never;\n");
  expect(types.stderr).toBe(
    'packgate: still to do in the specs and the layers naming them (`npx packgate lint` fails until then):\n' +
      'packs/fresh/pack.yaml:9:16 layers.api: layer "api" has no spec file packs/fresh/api.spec.ts\n' +
      '  hint: write packs/fresh/api.spec.ts: the pack has no spec yet\n' +
      'packs/fresh/pack.yaml:9:38 layers.browser: layer "browser" has no spec file packs/fresh/browser.spec.ts\n' +
      '  hint: write packs/fresh/browser.spec.ts: the pack has no spec yet\n',
  );
  // A spec written before a layer names it: the same, and lint names both.
  project.write({ 'packs/fresh/refusals.spec.ts': "import { test } from './pack.gen.ts';\n" });
  const unrun = await project.packgate(['types']);
  expect(unrun.exitCode, unrun.output).toBe(0);
  expect(unrun.stdout).toBe('pack.gen.ts of every pack already up to date\n');
  expect(unrun.stderr).toContain('packs/fresh/refusals.spec.ts:1:1 no layer runs this spec');
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(2);
  expect(lint.stdout).toContain('layer "api" has no spec file packs/fresh/api.spec.ts');
  expect(lint.stdout).toContain('packs/fresh/refusals.spec.ts:1:1 no layer runs this spec');
});

test('packgate types --json says ok as its exit code does, each pack.gen.ts current, written or stale, and what is still to do', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, newPack);
  // Before: "error: unknown option '--json'" (exit 2).
  const written = await project.packgate(['types', '--json']);
  expect(written.exitCode, written.output).toBe(0);
  const json = JSON.parse(written.stdout);
  expect(json).toMatchObject({ schemaVersion: 1, ok: true, check: false });
  expect(json.files).toContainEqual({ file: 'packs/fresh/pack.gen.ts', state: 'written' });
  expect(json.files).toContainEqual({ file: 'packs/v3-shell/pack.gen.ts', state: 'current' });
  expect(json.todo.map((d: { rule: string; path: string }) => [d.rule, d.path])).toEqual([
    ['missing-spec', 'layers.api'],
    ['missing-spec', 'layers.browser'],
  ]);
  expect(written.stderr).toBe('');

  project.edit('packs/fresh/pack.yaml', text => `${text}  nodes: /shell/nodes\n`);
  const stale = await project.packgate(['types', '--check', '--json']);
  expect(stale.exitCode, stale.output).toBe(1);
  expect(JSON.parse(stale.stdout)).toMatchObject({
    ok: false,
    check: true,
    files: expect.arrayContaining([{ file: 'packs/fresh/pack.gen.ts', state: 'stale' }]),
  });
  expect(project.read('packs/fresh/pack.gen.ts')).not.toContain('nodes');

  // A broken pack.yaml: the JSON error every command gives, exit 2, nothing written.
  project.edit('packs/fresh/pack.yaml', text => text.replace('owner: C-ops', 'owner: 42'));
  const broken = await project.packgate(['types', '--json']);
  expect(broken.exitCode, broken.output).toBe(2);
  expect(JSON.parse(broken.stdout)).toMatchObject({
    schemaVersion: 1,
    ok: false,
    error: { code: 'CATALOGUE_INVALID', diagnostics: [{ file: 'packs/fresh/pack.yaml', line: 5, path: 'owner' }] },
  });
  expect(project.read('packs/fresh/pack.gen.ts')).not.toContain('nodes');
});
