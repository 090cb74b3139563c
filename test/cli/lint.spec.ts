import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

const spec = (id: string, layer: string) => `import { test } from '../../fixtures/index.ts';
test.describe('${id}', { tag: ['@pack:${id}', '@layer:${layer}'] }, () => {
  test('works', async () => {});
});
`;

const brokenPack = `id: broken
title: Broken pack
journey: A journey.
owner: lane-x
required_proof: it works
policy: { dev: blocking }
lowest_reliable_layer: api
layers: [api]
environments: [local]
seeds: [core, no-such-seed]
time_budget_s: "ten"
colour: blue
`;

test('a clean catalogue lints clean, exit 0', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.packgate(['lint']);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^catalogue ok: \d+ packs?, \d+ environments, \d+ seed sets?, \d+ faults?\n$/);
  expect(result.exitCode).toBe(0);
});

/** Every field pack.yaml takes, in schema order: the hint for an unknown field lists them. */
const PACK_FIELDS = [
  'schema_version',
  'id',
  'title',
  'journey',
  'owner',
  'required_proof',
  'policy',
  'lowest_reliable_layer',
  'layers',
  'environments',
  'seeds',
  'identity',
  'artifacts',
  'depends_on',
  'time_budget_s',
  'paths',
  'selectors',
];

test('a bad type, an unknown field and a missing seed are all reported with file:line:col, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': brokenPack,
    'packs/broken/api.spec.ts': spec('broken', 'api'),
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(`packs/broken/pack.yaml:10:15 seeds[1]: seed set "no-such-seed" does not exist
  hint: create seeds/no-such-seed.yaml or remove it (known: core)
packs/broken/pack.yaml:11:16 time_budget_s: expected number, got "ten"
  hint: see schemas/pack.schema.json for what this field takes
packs/broken/pack.yaml:12:1 colour: unknown field "colour"
  hint: fields allowed here: ${PACK_FIELDS.join(', ')}

3 errors in 1 file
`);
  expect(result.exitCode).toBe(2);
});

test('a misspelt field gets a suggestion, a missing one is named where it belongs', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': brokenPack
      .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
      .replace('time_budget_s: "ten"\ncolour: blue\n', 'depend_on: []\n')
      .replace('owner: lane-x\n', ''),
    'packs/broken/api.spec.ts': spec('broken', 'api'),
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(`packs/broken/pack.yaml:1:1 owner: missing required field "owner"
  hint: add "owner:" here; schemas/pack.schema.json describes it
packs/broken/pack.yaml:10:1 depend_on: unknown field "depend_on"
  hint: did you mean "depends_on"?

2 errors in 1 file
`);
  expect(result.exitCode).toBe(2);
});

test('references between files: unknown upstream pack, missing spec, unknown environment, unknown override', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': brokenPack
      .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
      .replace('time_budget_s: "ten"\ncolour: blue\n', 'depends_on: [no-such-pack]\n')
      .replace('layers: [api]', 'layers: [api, browser]')
      .replace('environments: [local]', 'environments: [local, moon]'),
    'packs/broken/api.spec.ts': spec('broken', 'api'),
  });
  project.edit('environments/local.yaml', text => `${text}packs:\n  broken:\n    selectors: { nope: "#x" }\n`);
  const result = await project.packgate(['lint']);
  const lines = result.stdout.split('\n').filter(l => !l.startsWith('  hint:'));
  expect(lines).toEqual([
    'environments/local.yaml:29:18 packs.broken.selectors.nope: pack "broken" has no selector named "nope"',
    'packs/broken/pack.yaml:8:15 layers[1]: layer "browser" has no spec file packs/broken/browser.spec.ts',
    'packs/broken/pack.yaml:9:23 environments[1]: environment "moon" does not exist',
    'packs/broken/pack.yaml:11:14 depends_on[0]: pack "no-such-pack" does not exist',
    '',
    '4 errors in 2 files',
    '',
  ]);
  expect(result.exitCode).toBe(2);
});

test('a spec without its pack and layer tags is reported', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': brokenPack
      .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
      .replace('time_budget_s: "ten"\ncolour: blue\n', ''),
    'packs/broken/api.spec.ts': `import { test } from '../../fixtures/index.ts';\ntest('untagged', async () => {});\n`,
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout).toContain('packs/broken/api.spec.ts:1:1 spec does not carry the tag "@pack:broken"');
  expect(result.stdout).toContain('packs/broken/api.spec.ts:1:1 spec does not carry the tag "@layer:api"');
  expect(result.exitCode).toBe(2);
});

test('YAML syntax errors are located', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.write({ 'seeds/extra.yaml': 'id: extra\nusers: [\n' });
  const result = await project.packgate(['lint']);
  expect(result.stdout).toMatch(/^seeds\/extra\.yaml:3:1 /);
  expect(result.exitCode).toBe(2);
});

test('release stages must use https and env-var secrets', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text =>
    text
      .replace('default: "https://aicloud-demo-app.core42.dev"', 'default: "http://aicloud-demo-app.core42.dev"')
      .replace(
        'user-password: { env: PACKGATE_DEMO_USER_PASSWORD }',
        'user-password: { env: PACKGATE_DEMO_USER_PASSWORD, generate: true }',
      ),
  );
  const result = await project.packgate(['lint']);
  const lines = result.stdout.split('\n').filter(l => !l.startsWith('  hint:'));
  expect(lines).toEqual([
    'environments/demo.yaml:10:47 urls.app.default: must be an https URL for stage demo',
    'environments/demo.yaml:17:64 secrets.user-password.generate: stage demo must take secrets from its env vars; "generate" is for the dev stage only',
    '',
    '2 errors in 1 file',
    '',
  ]);
  expect(result.exitCode).toBe(2);
});

test('playwright test refuses to start on a broken catalogue: every problem, exit 2, nothing run', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': brokenPack,
    'packs/broken/api.spec.ts': spec('broken', 'api'),
  });
  const result = await project.playwright(['--project=local-api']);
  expect(result.stderr).toContain('packgate: the catalogue has problems (3 errors in 1 file):');
  expect(result.stderr).toContain('packs/broken/pack.yaml:12:1 colour: unknown field "colour"');
  expect(result.exitCode).toBe(2);
  expect(project.exists('gate-results')).toBe(false);
});
