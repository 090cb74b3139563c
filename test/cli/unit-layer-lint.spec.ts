import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, TempProject } from '../helpers/temp-project.ts';

const pack = (id: string, rest: string) => `id: ${id}
title: ${id}
journey: The product's own suite proves it.
owner: C-ops
required_proof: the product's tests pass
policy: { dev: blocking }
${rest}refusals_note: a pack of a test of its unit layer
`;

test('lint: the unit layer without a result source, a source without the layer, an unrun unit layer; no tests.yaml needed', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/no-source/pack.yaml': pack('no-source', 'lowest_reliable_layer: unit\nlayers: [unit]\n'),
    'packs/no-layer/pack.yaml': pack(
      'no-layer',
      'lowest_reliable_layer: api\nlayers: { api: [] }\nunit: { junit: { env: PRODUCT_JUNIT }, require: [] }\n',
    ),
    'packs/unrun/pack.yaml': pack(
      'unrun',
      'lowest_reliable_layer: unit\nlayers: [unit]\nunit: { junit: reports/unit.xml, require: ["auth › works"] }\n',
    ),
    // Left out of parity: local is then the only environment running them, and its layers decide.
    'environments/parity.yaml': `${fs.readFileSync(path.join(REPO, 'environments/parity.yaml'), 'utf8')}packs:
  exclude:
    - { pack: no-source, reason: the test's packs run in local only }
    - { pack: unrun, reason: the test's packs run in local only }
`,
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout.split('\n')).toEqual([
    'packs/no-layer/pack.yaml:8:16 layers.api: layer "api" runs no spec',
    '  hint: name the specs it runs: api: [<name>.spec.ts]',
    'packs/no-layer/pack.yaml:9:7 unit: the pack declares a unit source but not the "unit" layer, so no' +
      ' gate would judge it: add unit to layers',
    '  hint: see schemas/pack.schema.json for what this field takes',
    // Before: 'unit.require: name at least one test ...', without saying the list is empty.
    'packs/no-layer/pack.yaml:9:49 unit.require: "require" is empty: name at least one test the pack relies on, e.g.' +
      ' "auth/callback.test.ts › rejects a state mismatch"',
    '  hint: see schemas/pack.schema.json for what this field takes',
    'packs/no-source/pack.yaml:6:16 policy.dev: pack "no-source" runs in "local" (stage dev, embedded)' +
      ' but none of its layers (unit) is one "local" runs (api, browser)',
    '  hint: add api or browser to layers: in packs/no-source/pack.yaml with the spec it runs (e.g. api:' +
      ' <name>.spec.ts), or exclude it in environments/local.yaml under packs.exclude with a reason',
    'packs/no-source/pack.yaml:8:10 layers[0]: layer "unit" has no result source: declare unit: { junit:' +
      ' <report path or { env: VAR }>, require: [<test ids>] } (and command: to write it), or remove the layer',
    '  hint: see schemas/pack.schema.json for what this field takes',
    'packs/no-source/pack.yaml:8:10 layers[0]: pack no-source declares layer "unit", which no' +
      ' environment that runs the pack runs (local: api, browser)',
    '  hint: add unit to the layers of an environment that runs no-source, or remove it from the pack',
    'packs/unrun/pack.yaml:6:16 policy.dev: pack "unrun" runs in "local" (stage dev, embedded) but none' +
      ' of its layers (unit) is one "local" runs (api, browser)',
    '  hint: add api or browser to layers: in packs/unrun/pack.yaml with the spec it runs (e.g. api:' +
      ' <name>.spec.ts), or exclude it in environments/local.yaml under packs.exclude with a reason',
    'packs/unrun/pack.yaml:8:10 layers[0]: pack unrun declares layer "unit", which no environment that' +
      ' runs the pack runs (local: api, browser)',
    '  hint: add unit to the layers of an environment that runs unrun, or remove it from the pack',
    '',
    '8 errors in 3 files',
    '',
  ]);
  expect(result.exitCode).toBe(2);

  // An environment that runs the unit layer: the sourced pack lints clean, and `--json` lists the rest.
  project.write({ 'packs/no-layer': null });
  project.edit('environments/local.yaml', text =>
    text.replace('layers: [api, browser]', 'layers: [unit, api, browser]'),
  );
  const json = await project.packgate(['lint', '--json']);
  expect(json.exitCode).toBe(2);
  const { diagnostics } = JSON.parse(json.stdout) as { diagnostics: Array<{ file: string; message: string }> };
  expect(diagnostics.map(d => [d.file, d.message.slice(0, 40)])).toEqual([
    ['packs/no-source/pack.yaml', 'layer "unit" has no result source: decla'],
  ]);

  // Given a source, it lints clean; a pack that runs no spec needs no tests.yaml.
  project.edit('packs/no-source/pack.yaml', text => `${text}unit: { junit: reports/unit.xml, require: [works] }\n`);
  expect((await project.packgate(['lint'])).exitCode).toBe(0);
  const manifests = await project.packgate(['tests']);
  expect(manifests.stdout).toContain('packs/no-source/tests.yaml: current (no tests)\n');
  expect(manifests.exitCode, manifests.output).toBe(0);
});

test('lint warns on a layer an environment lists that no pack it runs declares: --project=<env>-<layer> would be "not found"', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/local.yaml', text =>
    text.replace('layers: [api, browser]', 'layers: [unit, api, browser]'),
  );
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(0);
  expect(result.stdout).toContain(
    'environments/local.yaml:26:10 layers[0]: warning: environment local runs layer "unit", which no pack it runs declares: ' +
      'there is no local-unit project to select\n' +
      "  hint: declare unit in a pack's layers (and its source, for unit: see README.md), or remove it from this environment\n",
  );
  expect(result.stdout).toContain('1 warning in 1 file');
});

test('a required unit test listed twice is named at its line; the gate stops on it, not on a duplicate title in packgate', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/twice/pack.yaml': pack(
      'twice',
      'lowest_reliable_layer: unit\nlayers: [unit]\nunit:\n  junit: reports/unit.xml\n  require:\n' +
        '    - "auth › signs in"\n    - "parses the state"\n    - "auth > signs in"\n    - "parses the state "\n',
    ),
    'reports/unit.xml':
      '<testsuite><testcase classname="auth" name="signs in"/><testcase name="parses the state"/></testsuite>',
  });
  project.edit('environments/local.yaml', text =>
    text.replace('layers: [api, browser]', 'layers: [unit, api, browser]'),
  );
  project.edit(
    'environments/parity.yaml',
    text => `${text}packs:\n  exclude:\n    - { pack: twice, reason: unit only }\n`,
  );
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(2);
  expect(lint.stdout).toContain(
    'packs/twice/pack.yaml:14:7 unit.require[2]: "auth > signs in" is listed twice (require[0] is the first, read " > " as " › ")\n' +
      '  hint: list each test once: remove this one\n' +
      'packs/twice/pack.yaml:15:7 unit.require[3]: "parses the state" is listed twice (require[1] is the first)\n',
  );
  // Before: lint passed, and the run stopped with 'duplicate test title "twice › requires parses the
  // state", first declared in src/playwright/unit-layer.gate.ts:48'.
  const run = await project.playwright(['--project=local-unit']);
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toContain('packs/twice/pack.yaml:15:7 unit.require[3]: "parses the state" is listed twice');
  expect(run.output).not.toContain('duplicate test title');
});
