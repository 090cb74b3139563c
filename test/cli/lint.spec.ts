import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type TestInfo } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { withManualCheck } from '../helpers/manual-run.ts';
import { REPO, TempProject } from '../helpers/temp-project.ts';

const spec = (id: string, layer: string) => `import { test } from '../../fixtures/index.ts';
test.describe('${id}', { tag: ['@pack:${id}', '@layer:${layer}'] }, () => {
  test('works', async () => {});
});
`;

const tests = (id: string) => `api.spec.ts:\n  - ${id} › works\n`;

const brokenPack = `id: broken
title: Broken pack
journey: A journey.
owner: C-ops
required_proof: it works
policy: { dev: blocking }
lowest_reliable_layer: api
layers: [api]
seeds: [core, no-such-seed]
time_budget_s: "ten"
colour: blue
refusals_note: a pack of lint's tests, which check other things
`;

/** A copy of the project with `pack` as packs/broken/pack.yaml, beside its api spec and tests.yaml. */
function withBrokenPack(testInfo: TestInfo, pack: string): Promise<TempProject> {
  return TempProject.create(testInfo, {
    'packs/broken/pack.yaml': pack,
    'packs/broken/api.spec.ts': spec('broken', 'api'),
    'packs/broken/tests.yaml': tests('broken'),
  });
}

test('a clean catalogue lints clean, exit 0', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await project.packgate(['lint']);
  expect(result.stderr).toBe('');
  // Each pack's refusals first, then the verdict on the catalogue.
  expect(result.stdout).toMatch(
    /^refusals:\n( {2}[a-z0-9-]+: (none|\d+ \([a-z0-9, -]+\))(; [^\n]+)?\n)+\ncatalogue ok: \d+ packs?, \d+ environments, \d+ seed sets?, \d+ faults?\n$/,
  );
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
  'kinds',
  'lowest_reliable_layer',
  'layers',
  'seeds',
  'identity',
  'personas',
  'records',
  'artifacts',
  'depends_on',
  'time_budget_s',
  'paths',
  'selectors',
  'refusals',
  'refusals_note',
  'manual',
  'unit',
];

test('a bad type, an unknown field and a missing seed are all reported with file:line:col, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': brokenPack,
    'packs/broken/api.spec.ts': spec('broken', 'api'),
    'packs/broken/tests.yaml': tests('broken'),
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(`packs/broken/pack.yaml:9:15 seeds[1]: seed set "no-such-seed" does not exist
  hint: create seeds/no-such-seed.yaml or remove it (known: core)
packs/broken/pack.yaml:10:16 time_budget_s: expected number, got "ten"
  hint: see schemas/pack.schema.json for what this field takes
packs/broken/pack.yaml:11:1 colour: unknown field "colour"
  hint: fields allowed here: ${PACK_FIELDS.join(', ')}

3 errors in 1 file
`);
  expect(result.exitCode).toBe(2);
});

test('a misspelt field or value gets a suggestion, a missing field is named where it belongs', async ({}, testInfo) => {
  const project = await withBrokenPack(
    testInfo,
    brokenPack
      .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
      .replace('time_budget_s: "ten"\ncolour: blue\n', 'depend_on: []\n')
      .replace('owner: C-ops\n', '')
      .replace('{ dev: blocking }', '{ dev: advisroy }'),
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout).toBe(`packs/broken/pack.yaml:1:1 owner: missing required field "owner"
  hint: add "owner:" here; schemas/pack.schema.json describes it
packs/broken/pack.yaml:5:16 policy.dev: expected one of "blocking", "advisory", got "advisroy"
  hint: did you mean "advisory"?
packs/broken/pack.yaml:9:1 depend_on: unknown field "depend_on"
  hint: did you mean "depends_on"?

3 errors in 1 file
`);
  expect(result.exitCode).toBe(2);
  // The kind a field's map says it is (a discriminated union's tag), misspelt: the kinds it takes, and the nearest.
  project.write({ 'packs/broken/pack.yaml': null, 'packs/broken/api.spec.ts': null, 'packs/broken/tests.yaml': null });
  project.edit('environments/demo.yaml', text => text.replace('driver: keycloak', 'driver: keycloack'));
  const driver = await project.packgate(['lint']);
  expect(driver.exitCode, driver.output).toBe(2);
  expect(driver.stdout).toMatch(
    /environments\/demo\.yaml:\d+:\d+ oidc\.login\.driver: expected one of "keycloak", "form", "steps", got "keycloack"\n {2}hint: did you mean "keycloak"\?/,
  );
});

// Before: "owner: Too small: expected string to have >=1 characters", zod's words, with no word of what goes there.
test('an empty required text of pack.yaml says it is empty and what to write there, exit 2', async ({}, testInfo) => {
  const project = await withBrokenPack(
    testInfo,
    `id: broken
title: Broken pack
journey: A journey.
owner: ''
required_proof: '   '
policy: { dev: blocking }
lowest_reliable_layer: api
layers: [api]
seeds: [core]
selectors: { shell: '' }
refusals_note: a pack of lint's tests, which check other things
`,
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout)
    .toBe(`packs/broken/pack.yaml:4:8 owner: "owner" is empty: name the lane or team that owns this pack (its failures are routed there), e.g. "C-ops"
  hint: see schemas/pack.schema.json for what this field takes
packs/broken/pack.yaml:5:17 required_proof: "required_proof" is empty: say what a passing run proves, in the words a release manager would use
  hint: see schemas/pack.schema.json for what this field takes
packs/broken/pack.yaml:10:21 selectors.shell: "shell" is empty: write the selector, e.g. '[data-testid=shell]'
  hint: see schemas/pack.schema.json for what this field takes

3 errors in 1 file
`);
  expect(result.exitCode).toBe(2);
});

// Before: "refusals[0].unchanged: Too small: expected string to have >=1 characters", and a blank title passed.
test("an empty text of a pack's refusal or manual check says it is empty and what to write there, exit 2", async ({}, testInfo) => {
  const project = await withBrokenPack(
    testInfo,
    brokenPack.replace(
      'seeds: [core, no-such-seed]\ntime_budget_s: "ten"\ncolour: blue\n',
      `seeds: [core]
paths: { home: / }
refusals:
  - id: foreign-thing
    as: no-session
    action: POST home
    status: 401
    unchanged: ''
`,
    ) +
      `manual:
  - id: looks
    title: ' '
    start: home
    steps: [Look at it, '']
    expected: ''
    lane: C-ops
    valid_for: 2d
`,
  );
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  const hint = '\n  hint: see schemas/pack.schema.json for what this field takes\n';
  for (const line of [
    'packs/broken/pack.yaml:16:16 refusals[0].unchanged: "unchanged" is empty: say what must be unchanged afterwards ' +
      `(the test checks it), e.g. "nothing created in the other user's project"`,
    'packs/broken/pack.yaml:20:12 manual[0].title: "title" is empty: give the check a short title, ' +
      'e.g. "The shell greets the signed-in user"',
    'packs/broken/pack.yaml:22:25 manual[0].steps[1]: item 2 of "steps" is empty: write what the person does at this step, ' +
      'or remove the item',
    'packs/broken/pack.yaml:23:15 manual[0].expected: "expected" is empty: say what the person must see for the check ' +
      'to pass, e.g. "The header names the user"',
  ])
    expect(result.stdout).toContain(line + hint);
  expect(result.stdout).not.toContain('Too small');
});

// Before: "manual[0].steps: Too small: expected array to have >=1 items", zod's words, with no word of what to list.
test('an empty required list of pack.yaml says it is empty and what to list there, exit 2, nothing written', async ({}, testInfo) => {
  const project = await withBrokenPack(
    testInfo,
    brokenPack.replace('layers: [api]', 'layers: [api, manual]').replace(
      'seeds: [core, no-such-seed]\ntime_budget_s: "ten"\ncolour: blue\n',
      `seeds: [core]
kinds: []
paths: { home: / }
refusals:
  - { id: foreign-thing, as: no-session, action: POST home, status: [], unchanged: nothing created }
`,
    ) +
      `manual:
  - id: looks
    title: Looks right
    start: home
    steps: []
    expected: The header names the user
    lane: C-ops
    valid_for: 2d
`,
  );
  await expectLintAndTypesRefuse(project, 'schemas/pack.schema.json', [
    'packs/broken/pack.yaml:10:8 kinds: "kinds" is empty: list the kinds of environment the pack runs in, ' +
      'e.g. [embedded, parity], or remove the field to run in every kind',
    'packs/broken/pack.yaml:13:69 refusals[0].status: "status" is empty: list the statuses the product may answer, ' +
      'e.g. [401, 403], or write one, e.g. 404',
    'packs/broken/pack.yaml:19:12 manual[0].steps: "steps" is empty: list what the person does, in order, ' +
      'e.g. [Open the shell, Read the header]',
  ]);
  expect(project.exists('packs/broken/pack.gen.ts')).toBe(false);

  // No layers is said once, as empty: not also "lowest_reliable_layer is not among the pack's layers ()".
  project.write({
    'packs/broken/pack.yaml': brokenPack
      .replace('seeds: [core, no-such-seed]\ntime_budget_s: "ten"\ncolour: blue\n', 'seeds: [core]\n')
      .replace('layers: [api]', 'layers: []'),
  });
  const none = await project.packgate(['lint']);
  expect(none.stdout).toBe(
    'packs/broken/pack.yaml:8:9 layers: "layers" is empty: list the layers the pack runs at, e.g. [api, browser]\n' +
      '  hint: see schemas/pack.schema.json for what this field takes\n\n1 error in 1 file\n',
  );
  expect(none.exitCode).toBe(2);
});

// Before: "layers: Too small: expected array to have >=1 items", and the same of oidc.scopes.
test('an empty required list of an environment says it is empty and what to list there, exit 2, nothing written', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, { 'packs/demo-deploy/pack.gen.ts': null });
  project.edit('environments/demo.yaml', text =>
    text
      .replace('  login: { driver: keycloak }', '  scopes: []\n  login: { driver: steps, steps: [] }')
      .replace('layers: [remote]', 'layers: []'),
  );
  const outputs = await expectLintAndTypesRefuse(project, 'schemas/environment.schema.json', [
    'environments/demo.yaml:17:11 oidc.scopes: "scopes" is empty: list the scopes the sign-in asks for, ' +
      'e.g. [openid, profile, email], or remove the field for those',
    'environments/demo.yaml:18:34 oidc.login.steps: "steps" is empty: list the steps of the sign-in, e.g. ' +
      '[{ fill: "#username", with: username }, { fill: "#password", with: password }, { click: "#sign-in" }]',
    'environments/demo.yaml:24:9 layers: "layers" is empty: list the layers the packs run at here, e.g. [api, browser]',
  ]);
  // Said once, as empty: not also "a sign-in needs a step that fills the password".
  for (const output of outputs) expect(output).not.toContain('fills the password');
  expect(project.exists('packs/demo-deploy/pack.gen.ts')).toBe(false);
});

/**
 * `lint`, and `types` (which would write pack.gen.ts files), refuse the catalogue: exit 2, each saying
 * every one of `problems` with `schemaFile`'s hint, none in zod's words. Their outputs, for more.
 */
async function expectLintAndTypesRefuse(project: TempProject, schemaFile: string, problems: string[]) {
  const outputs: string[] = [];
  for (const command of ['lint', 'types']) {
    const result = await project.packgate([command]);
    expect(result.exitCode, result.output).toBe(2);
    for (const line of problems)
      expect(result.output).toContain(`${line}\n  hint: see ${schemaFile} for what this field takes\n`);
    expect(result.output).not.toContain('Too small');
    outputs.push(result.output);
  }
  return outputs;
}

test('a value one typo from a literal of a union gets a did-you-mean: identity_check: nnoe', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text =>
    text.replace("identity_check: { selector: '[data-testid=user-identity]' }", 'identity_check: nnoe'),
  );
  const result = await project.packgate(['lint']);
  // Before: "hint: see schemas/environment.schema.json for what this field takes".
  expect(result.stdout).toBe(`environments/demo.yaml:19:17 identity_check: "nnoe" is not any of the accepted forms
  hint: did you mean "none"?

1 error in 1 file
`);
  expect(result.exitCode).toBe(2);
});

test('a misspelt required field is one error, the unknown field with its did-you-mean, not also a missing field', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text => text.replace('  client_id: {', '  clent_id: {'));
  const result = await project.packgate(['lint']);
  // Before, also: 'environments/demo.yaml:15:3 oidc.client_id: missing required field "client_id"'.
  expect(result.stdout).toBe(`environments/demo.yaml:15:3 oidc.clent_id: unknown field "clent_id"
  hint: did you mean "client_id"?

1 error in 1 file
`);
  expect(result.exitCode).toBe(2);
});

test('references between files: upstream pack, record kind, spec; pack, override, persona and secret of an environment', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': brokenPack
      .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\nrecords: [nods]\n')
      .replace('time_budget_s: "ten"\ncolour: blue\n', 'depends_on: [no-such-pack]\n')
      .replace('layers: [api]', 'layers: [api, browser]'),
    'packs/broken/api.spec.ts': spec('broken', 'api'),
    'packs/broken/tests.yaml': tests('broken'),
  });
  project.edit(
    'environments/local.yaml',
    text =>
      `${text}packs:\n  exclude:\n    - { pack: moon, reason: no such pack }\n` +
      `overrides:\n  broken:\n    selectors: { nope: "#x" }\n` +
      `identities:\n  nobody: { username: x }\n  ada: { password_secret: no-such-secret }\n`,
  );
  const result = await project.packgate(['lint']);
  const lines = result.stdout.split('\n').filter(l => !l.startsWith('  hint:'));
  expect(lines).toEqual([
    'environments/local.yaml:36:15 packs.exclude[0].pack: pack "moon" does not exist',
    'environments/local.yaml:39:18 overrides.broken.selectors.nope: pack "broken" has no selector named "nope"',
    `environments/local.yaml:41:11 identities.nobody: "nobody" is no user of this environment's seed sets (core)`,
    expect.stringMatching(
      /^environments\/local\.yaml:42:27 identities\.ada\.password_secret: seed set "core" user "ada" needs secret "no-such-secret", which this environment does not define \(pack [a-z-]+ and \d+ more sign in as "ada" here\)$/,
    ),
    'packs/broken/pack.yaml:8:15 layers[1]: layer "browser" has no spec file packs/broken/browser.spec.ts',
    'packs/broken/pack.yaml:10:11 records[0]: no seed set of this pack (core) holds records "nods"',
    'packs/broken/pack.yaml:11:14 depends_on[0]: pack "no-such-pack" does not exist',
    '',
    '7 errors in 2 files',
    '',
  ]);
  expect(result.exitCode).toBe(2);
});

test('an environment overrides the values of paths and selectors, never their names or placeholders', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit(
    'environments/local.yaml',
    text =>
      `${text}overrides:\n  notebook-proxy:\n` +
      `    paths: { notebooks: /nbs, notebook: '/lab/{nb}', notebok: /x }\n` +
      `    selectors: { notebook-open: '[data-nb="{id}"] a' }\n`,
  );
  const result = await project.packgate(['lint']);
  expect(result.stdout.split('\n')).toEqual([
    'environments/local.yaml:36:41 overrides.notebook-proxy.paths.notebook: ' +
      'overrides path "notebook" of pack "notebook-proxy" with placeholders {nb}, but the pack\'s has {id}',
    '  hint: use the placeholders of packs/notebook-proxy/pack.yaml ({id}): specs fill exactly those',
    'environments/local.yaml:36:54 overrides.notebook-proxy.paths.notebok: pack "notebook-proxy" has no path named "notebok"',
    '  hint: overridable paths: notebooks, notebooks-api, notebook, notebook-status',
    '',
    '2 errors in 1 file',
    '',
  ]);
  expect(result.exitCode).toBe(2);
});

test("a spec's path names its pack, pack.yaml its layers: untagged is fine, a tag naming another pack or layer is an error", async ({}, testInfo) => {
  const pack = brokenPack
    .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
    .replace('time_budget_s: "ten"\ncolour: blue\n', '');
  const untagged = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': pack,
    'packs/broken/api.spec.ts': `import { test } from '../../fixtures/index.ts';\ntest('untagged', async () => {});\n`,
  });
  expect((await untagged.packgate(['lint'])).exitCode).toBe(0);

  untagged.write({
    'packs/broken/api.spec.ts':
      `import { test } from '../../fixtures/index.ts';\n` +
      `test('tagged', { tag: ['@pack:other', '@layer:browser'] }, async () => {});\n`,
  });
  const result = await untagged.packgate(['lint']);
  expect(result.stdout).toContain(
    'packs/broken/api.spec.ts:2:24 tag "@pack:other" disagrees with the spec\'s path, which makes it pack "broken"',
  );
  expect(result.stdout).toContain(
    'packs/broken/api.spec.ts:2:39 tag "@layer:browser" disagrees with pack.yaml, which runs this spec at layer "api"',
  );
  expect(result.exitCode).toBe(2);
});

test('a new pack with no spec yet is told to write it, not offered the specs beside pack.yaml', async ({}, testInfo) => {
  const pack = brokenPack
    .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
    .replace('time_budget_s: "ten"\ncolour: blue\n', '')
    .replace('layers: [api]\n', 'layers: { api: api.spec.ts }\n');
  const project = await TempProject.create(testInfo, {
    'environments/parity.yaml': parityWithout('broken'),
    'packs/broken/pack.yaml': pack,
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout.split('\n').slice(0, 2)).toEqual([
    'packs/broken/pack.yaml:8:16 layers.api: layer "api" has no spec file packs/broken/api.spec.ts',
    '  hint: write packs/broken/api.spec.ts: the pack has no spec yet',
  ]);
  expect(result.exitCode).toBe(2);
});

test('layers: a map sends a spec to several layers; a layer without its spec, and a spec no layer runs, are errors', async ({}, testInfo) => {
  const pack = brokenPack
    .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
    .replace('time_budget_s: "ten"\ncolour: blue\n', '')
    .replace(
      'layers: [api]\n',
      'layers:\n  api: api.spec.ts\n  browser: [journey.spec.ts, missing.spec.ts]\n  remote: journey.spec.ts\n  parity: []\n',
    );
  const untagged = `import { test } from '../../fixtures/index.ts';\ntest('works', async () => {});\n`;
  const project = await TempProject.create(testInfo, {
    // Left out of parity: local is then the only environment running it, and its layers decide.
    'environments/parity.yaml': parityWithout('broken'),
    'packs/broken/pack.yaml': pack,
    'packs/broken/api.spec.ts': untagged,
    'packs/broken/journey.spec.ts':
      `import { test } from '../../fixtures/index.ts';\n` +
      `test('tagged', { tag: '@layer:browser' }, async () => {});\n`,
    'packs/broken/orphan.spec.ts': untagged,
    'packs/broken/tests.yaml': 'api.spec.ts: [works]\njourney.spec.ts: [tagged]\n',
  });
  const result = await project.packgate(['lint']);
  expect(result.stdout.split('\n')).toEqual([
    'packs/broken/journey.spec.ts:2:23 tag "@layer:browser" names one layer, but pack.yaml runs this spec at browser, remote',
    '  hint: remove the tag: --project=<env>-<layer> selects a layer',
    'packs/broken/orphan.spec.ts:1:1 no layer runs this spec: packs/broken/pack.yaml names it under none of its layers',
    '  hint: name it under the layers that run it (layers: { <layer>: orphan.spec.ts }), or delete it',
    'packs/broken/pack.yaml:10:30 layers.browser[1]: layer "browser" has no spec file packs/broken/missing.spec.ts',
    '  hint: write packs/broken/missing.spec.ts, or name one of the specs beside pack.yaml (api.spec.ts, journey.spec.ts, orphan.spec.ts)',
    'packs/broken/pack.yaml:11:11 layers.remote: pack broken declares layer "remote", which no environment that runs the pack runs (local: api, browser)',
    '  hint: add remote to the layers of an environment that runs broken, or remove it from the pack',
    'packs/broken/pack.yaml:12:11 layers.parity: layer "parity" runs no spec',
    '  hint: name the specs it runs: parity: [<name>.spec.ts]',
    'packs/broken/pack.yaml:12:11 layers.parity: pack broken declares layer "parity", which no environment that runs the pack runs (local: api, browser)',
    '  hint: add parity to the layers of an environment that runs broken, or remove it from the pack',
    '',
    '6 errors in 3 files',
    '',
  ]);
  expect(result.exitCode).toBe(2);
});

test('a misspelt layer, or no layers at all, is bad input named where it is, not a crash', async ({}, testInfo) => {
  const pack = brokenPack
    .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
    .replace('time_budget_s: "ten"\ncolour: blue\n', '');
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': pack.replace('layers: [api]\n', 'layers:\n  api: api.spec.ts\n  remtoe: api.spec.ts\n'),
    'packs/broken/api.spec.ts': spec('broken', 'api'),
    'packs/broken/tests.yaml': tests('broken'),
  });
  for (const command of [['lint'], ['types'], ['tests']]) {
    const result = await project.packgate(command);
    expect(result.exitCode, result.output).toBe(2);
    expect(result.output).toContain(
      'packs/broken/pack.yaml:10:3 layers.remtoe: unknown field "remtoe"\n  hint: did you mean "remote"?',
    );
    expect(result.output).not.toContain('TypeError');
  }
  project.write({ 'packs/broken/pack.yaml': pack.replace('layers: [api]\n', '') });
  const none = await project.packgate(['lint']);
  expect(none.exitCode, none.output).toBe(2);
  expect(none.stdout).toContain('packs/broken/pack.yaml:1:1 layers: missing required field "layers"');
  expect(none.output).not.toContain('TypeError');
  // Layers that validate, beside a field that does not: the specs they name are read as written.
  project.write({
    'packs/broken/pack.yaml': pack
      .replace('layers: [api]\n', 'layers: { api: checks.spec.ts }\n')
      .replace('owner: C-ops', 'owner: 42'),
    'packs/broken/checks.spec.ts': spec('broken', 'api'),
    'packs/broken/api.spec.ts': null,
    'packs/broken/tests.yaml': tests('broken').replace('api.spec.ts', 'checks.spec.ts'),
  });
  const other = await project.packgate(['lint']);
  expect(other.exitCode, other.output).toBe(2);
  expect(other.stdout.split('\n').filter(line => /^\S/.test(line))).toEqual([
    'packs/broken/pack.yaml:4:8 owner: expected string, got number 42',
    '1 error in 1 file',
  ]);
});

test('a pack.gen.ts not written yet: lint says to write it (exit 2), a run names the import that failed, BLOCKED', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, { 'packs/demo-deploy/pack.gen.ts': null });
  const missing = await project.packgate(['lint']);
  expect(missing.exitCode, missing.output).toBe(2);
  expect(missing.stdout).toContain(
    "packs/demo-deploy/pack.gen.ts:1:1 pack.gen.ts is missing: the pack's specs import their typed test and expect from it\n" +
      '  hint: run `npx packgate types` and commit the result',
  );
  const run = await project.playwright(['--project=local-api', 'packs/demo-deploy/']);
  expect(run.exitCode, run.output).toBe(1);
  expect(run.stdout).toContain('packgate: the run stopped before any test ran, so there is no verdict: ');
  expect(run.stdout).not.toContain('select one with --project');
  expect(project.verdict()).toMatchObject({
    verdict: 'BLOCKED',
    headline: 'BLOCKED: local (dev): no verdict: no test ran',
    projects: ['local-api'],
    problems: [{ severity: 'error', message: expect.stringContaining('demo-deploy/pack.gen.ts') }],
  });
  // Written, then out of date with pack.yaml: a warning, exit 0.
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  project.edit('packs/demo-deploy/pack.gen.ts', text => `${text}// edited\n`);
  const stale = await project.packgate(['lint']);
  expect(stale.exitCode, stale.output).toBe(0);
  expect(stale.stdout).toContain(
    'packs/demo-deploy/pack.gen.ts:1:1 warning: pack.gen.ts is out of date with pack.yaml: its names are the old ones',
  );
});

test('a pack.gen.ts not written yet, of a pack.yaml with a schema error: both said in one lint, the hint saying which comes first', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, { 'packs/demo-deploy/pack.gen.ts': null });
  project.edit('packs/demo-deploy/pack.yaml', text => text.replace(/^artifacts:/m, 'artifact:'));
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  // Before, the missing file came only on the lint after "artifact" was fixed. `packgate types`
  // refuses a pack.yaml with errors, so the hint says to fix them first.
  expect(result.stdout).toContain(
    "packs/demo-deploy/pack.gen.ts:1:1 pack.gen.ts is missing: the pack's specs import their typed test and expect from it\n" +
      '  hint: fix the errors of packs/demo-deploy/pack.yaml, then run `npx packgate types` and commit the result\n',
  );
  expect(result.stdout).toMatch(/^packs\/demo-deploy\/pack\.yaml:\d+:1 artifact: unknown field "artifact"$/m);
  expect(result.stdout).toMatch(/\n2 errors in 2 files\n$/);
});

test("every pack's owner is a lane of governance.yaml, so the queue has someone to hand its work to", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'governance.yaml': fs.readFileSync(path.join(import.meta.dirname, '../../governance.yaml'), 'utf8'),
  });
  project.edit('packs/terminal/pack.yaml', text => text.replace('owner: B-runtime', 'owner: B-runtim'));
  project.edit('packs/v3-shell/pack.yaml', text => text.replace('owner: A-web', 'owner: frontend'));
  const result = await project.packgate(['lint']);
  expect(result.stdout.split('\n')).toEqual([
    'packs/terminal/pack.yaml:9:8 owner: owner "B-runtim" is not a lane of governance.yaml',
    '  hint: did you mean "B-runtime"? Or add the lane to governance.yaml',
    'packs/v3-shell/pack.yaml:8:8 owner: owner "frontend" is not a lane of governance.yaml',
    '  hint: name one of its lanes (C-ops, A-web, B-runtime, D-platform-control, P-platform, Q-gate), or add the lane to governance.yaml',
    '',
    '2 errors in 2 files',
    '',
  ]);
  expect(result.exitCode).toBe(2);

  // Without a governance file there are no lanes to hold owners to.
  project.write({ 'governance.yaml': null });
  expect((await project.packgate(['lint'])).exitCode).toBe(0);
});

test("a manual check's lane is a lane of governance.yaml: manual record takes a verdict from no other, so it could never pass", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'governance.yaml': fs.readFileSync(path.join(import.meta.dirname, '../../governance.yaml'), 'utf8'),
  });
  withManualCheck(project);
  expect((await project.packgate(['lint'])).exitCode).toBe(0);
  project.edit('packs/auth-session/pack.yaml', text => text.replace('    lane: C-ops\n', '    lane: C-opz\n'));
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stdout).toMatch(/^packs\/auth-session\/pack\.yaml:\d+:11 manual\[0\]\.lane: /);
  expect(result.stdout).toContain(
    'manual[0].lane: manual check shell-greets: lane "C-opz" is not a lane of governance.yaml, so no one could record its verdict\n' +
      '  hint: did you mean "C-ops"? Or add the lane to governance.yaml\n',
  );
  // What lint let through before: every lane recording the check is refused, its own as not in governance.
  const record = (lane: string) =>
    project.packgate([
      'manual',
      'record',
      '--pack',
      'auth-session',
      '--env',
      'local',
      '--check',
      'shell-greets',
      '--result',
      'pass',
      '--lane',
      lane,
    ]);
  expect((await record('C-opz')).stderr).toContain('there is no lane "C-opz" in governance');
  expect((await record('C-ops')).stderr).toContain('its lane is C-opz');
});

test('a schema error in pack.yaml hides no owner or lane error: all are said in one lint, nothing of a field that did not validate', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'governance.yaml': fs.readFileSync(path.join(import.meta.dirname, '../../governance.yaml'), 'utf8'),
  });
  withManualCheck(project);
  project.edit('packs/auth-session/pack.yaml', text =>
    text
      .replace('owner: C-ops', 'owner: C-opz')
      .replace('    lane: C-ops\n', '    lane: B-runtim\n')
      .replace(/^artifacts:/m, 'artifact:'),
  );
  // Before, a pack with a schema error was never held to governance.yaml: its owner's and its
  // check's lane errors came only on the next lint, once "artifact" was fixed.
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stdout.split('\n').filter(line => !line.startsWith('  hint:'))).toEqual([
    expect.stringMatching(
      /^packs\/auth-session\/pack\.yaml:\d+:8 owner: owner "C-opz" is not a lane of governance\.yaml$/,
    ),
    expect.stringMatching(/^packs\/auth-session\/pack\.yaml:\d+:1 artifact: unknown field "artifact"$/),
    expect.stringMatching(
      /^packs\/auth-session\/pack\.yaml:\d+:11 manual\[0\]\.lane: manual check shell-greets: lane "B-runtim" is not a lane/,
    ),
    '',
    '3 errors in 1 file',
    '',
  ]);
  expect(result.stdout).toContain('  hint: did you mean "C-ops"? Or add the lane to governance.yaml\n');
  expect(result.stdout).toContain('  hint: did you mean "B-runtime"? Or add the lane to governance.yaml\n');

  // An owner that is not valid itself gets its own error alone, not a second one saying it is no lane.
  project.edit('packs/auth-session/pack.yaml', text => text.replace('owner: C-opz', 'owner:'));
  const empty = await project.packgate(['lint']);
  expect(empty.stdout).toMatch(/auth-session\/pack\.yaml:\d+:1 owner: "owner" is empty: fill it in\n/);
  expect(empty.stdout).not.toContain('owner: owner');
});

test('personas a pack signs in as are seed users, and need an identity', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packs/v3-shell/pack.yaml', text => text.replace('personas: [grace]', 'personas: [grace, gracie]'));
  project.edit('packs/demo-deploy/pack.yaml', text => `${text}personas: [grace]\n`);
  const result = await project.packgate(['lint']);
  expect(result.stdout).toContain(
    'packs/v3-shell/pack.yaml:27:19 personas[1]: no user "gracie" in the pack\'s seed sets (core)',
  );
  expect(result.stdout).toContain(
    'packs/demo-deploy/pack.yaml:49:11 personas: names personas to sign in as, but no identity: its tests run signed out',
  );
  expect(result.exitCode).toBe(2);
});

test('YAML syntax errors are located', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.write({ 'seeds/extra.yaml': 'id: extra\nusers: [\n' });
  const result = await project.packgate(['lint']);
  expect(result.stdout).toMatch(/^seeds\/extra\.yaml:3:1 /);
  expect(result.exitCode).toBe(2);
});

test('a second YAML document in a catalogue file is said in words, at its --- line, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // A trailing ---, as some generators and copy-pastes leave.
  project.edit('packs/auth-session/pack.yaml', text => `${text}---\n`);
  const lines = project.read('packs/auth-session/pack.yaml').split('\n').length - 1;
  const result = await project.packgate(['lint']);
  // Before: "Source contains multiple documents; please use YAML.parseAllDocuments()".
  expect(result.stdout).toBe(
    [
      `packs/auth-session/pack.yaml:${lines}:1 a second YAML document starts here: packgate reads one document per file`,
      '  hint: remove the --- line here, keeping what follows it in the one document if it belongs there',
      '',
      '1 error in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
});

test('a catalogue file that is not UTF-8 is said where it is, with what to do, never read as garbled text', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const bytes = (file: string, change: (text: string) => Buffer) =>
    fs.writeFileSync(path.join(project.dir, file), change(project.read(file)));
  // "Authentification" with an accent saved as Latin-1 (0xE9), as an editor on Windows may.
  bytes('packs/auth-session/pack.yaml', text => {
    const [before, after] = text.split('title: Auth');
    return Buffer.concat([Buffer.from(`${before}title: Auth`), Buffer.from([0xe9]), Buffer.from(after)]);
  });
  bytes('environments/staging.yaml', text => Buffer.from(`\ufeff${text}`, 'utf16le'));
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  // Before: the title read as "Auth\uFFFD and session", "catalogue ok"; the environment as one string
  // of the whole file, printed back in "expected object, got ..." thousands of characters long.
  const save = `  hint: save the file as UTF-8 (an editor's "save with encoding", or iconv -t utf-8), then lint again`;
  expect(result.stdout).toBe(
    [
      'environments/staging.yaml:1:1 UTF-16 text (its first bytes are a UTF-16 byte order mark): packgate reads catalogue files as UTF-8',
      save,
      'packs/auth-session/pack.yaml:4:12 not UTF-8: the byte here is no UTF-8 character (an accent saved as Latin-1 or Windows-1252?)',
      save,
      '',
      '2 errors in 2 files',
      '',
    ].join('\n'),
  );
});

test('an empty catalogue file, or one of comments only, is said to be empty with where its fields are listed, exit 2', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/auth-session/pack.yaml': '',
    'environments/staging.yaml': '# to be written once staging exists\n',
  });
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  // Before: "expected object, got null", hint "see schemas/pack.schema.json for what this field takes".
  expect(result.stdout).toBe(
    [
      'environments/staging.yaml:1:1 the file is empty: nothing but blank lines or comments',
      '  hint: write its fields: schemas/environment.schema.json lists them',
      'packs/auth-session/pack.yaml:1:1 the file is empty: nothing but blank lines or comments',
      '  hint: write its fields: schemas/pack.schema.json lists them',
      '',
      '2 errors in 2 files',
      '',
    ].join('\n'),
  );
});

test('a file whose aliases expand without bound is refused where it is, exit 2, not an internal error', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // Each anchor nine aliases of the one before: the "billion laughs", a few lines that read as millions.
  const laughs = Array.from({ length: 7 }, (_, i) =>
    i
      ? `x${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`
      : 'x0: &a0 [l, l, l, l, l, l, l, l, l]',
  );
  project.edit('packs/auth-session/pack.yaml', text => `${text}${laughs.join('\n')}\n`);
  const result = await project.packgate(['lint']);
  // Before: "packgate: internal error: ReferenceError: Excessive alias count indicates a resource
  // exhaustion attack", exit 1.
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe(
    [
      'packs/auth-session/pack.yaml:1:1 its aliases (*name) expand to more values than packgate reads: a file growing so as it is read is refused',
      '  hint: write the values out, or alias smaller anchors (&name) fewer times',
      '',
      '1 error in 1 file',
      '',
    ].join('\n'),
  );
  expect(result.exitCode).toBe(2);
  // The governance file is read by the same YAML source: the same words there (before: an internal error).
  project.edit('packs/auth-session/pack.yaml', text => text.replace(/x0: [^]*$/, ''));
  project.write({ 'governance.yaml': `schema_version: 1\n${laughs.join('\n')}\n` });
  const governance = await project.packgate(['lint']);
  expect(governance.stdout).toContain(
    'governance.yaml:1:1 its aliases (*name) expand to more values than packgate reads: a file growing so as it is read is refused',
  );
  expect(governance.exitCode).toBe(2);
});

test('a pack.yaml that is not YAML is its one error: what names the pack (depends_on, faults) is not told it does not exist', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // A colon in a plain scalar: what a shell command in unit.command easily has.
  project.edit('packs/auth-session/pack.yaml', text =>
    text.replace('seeds: [core]\n', 'command: sh -c echo a: b\nseeds: [core]\n'),
  );
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stdout).toMatch(
    /^packs\/auth-session\/pack\.yaml:\d+:\d+ Nested mappings are not allowed in compact mappings$/m,
  );
  expect(result.stdout).not.toContain('"auth-session" does not exist');
  expect(result.stdout).not.toContain('names pack "auth-session", which does not exist');
  expect(result.stdout).toMatch(/^1 error in 1 file$/m);
  // A pack that is truly not there is still named where it is named.
  project.edit('packs/app-launch/pack.yaml', text =>
    text.replace('depends_on: [auth-session]', 'depends_on: [auth-sesion]'),
  );
  expect((await project.packgate(['lint'])).stdout).toContain('depends_on[0]: pack "auth-sesion" does not exist');
});

test('a seed set with a bad record or user, or not YAML, is its own error: what reads it is not told it lacks them or is not there', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // One record without its id, one user with a bad email, and an environment naming that user.
  project.edit('seeds/core.yaml', text =>
    text
      .replace('- { id: jupyterlab,', '- { key: jupyterlab,')
      .replace('email: grace@example.test', 'email: grace-at-example.test'),
  );
  project.edit('environments/demo.yaml', text =>
    text.replace('layers: [remote]', 'identities:\n  grace: { username: grace.hopper }\nlayers: [remote]'),
  );
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  // Before: 7 more errors, each pack reading records told its seed set holds none ("known kinds:
  // (none)"), and the environment that "grace" is no user of its seed sets.
  expect(result.stdout).toMatch(/^seeds\/core\.yaml:\d+:\d+ records\.apps\[0\]\.id: missing required field "id"$/m);
  expect(result.stdout).toMatch(/^seeds\/core\.yaml:\d+:\d+ users\[1\]\.email: /m);
  expect(result.stdout).not.toContain('holds records');
  expect(result.stdout).not.toContain('is no user of');
  expect(result.stdout).toMatch(/^2 errors in 1 file$/m);

  // Not YAML at all. Before: "seed set "core" does not exist; create seeds/core.yaml" at every pack and
  // environment naming it, the file being there.
  project.edit('seeds/core.yaml', text => text.replace('users:\n', 'users: [\n'));
  const unread = await project.packgate(['lint']);
  expect(unread.exitCode, unread.output).toBe(2);
  expect(unread.stdout).not.toContain('does not exist');
  expect(unread.stdout).toMatch(/^\d+ errors? in 1 file$/m);
});

test("a folder where the catalogue reads a file is said in words with what to do, not as Node's EISDIR", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  fs.mkdirSync(path.join(project.dir, 'packs/ghost/pack.yaml'), { recursive: true });
  fs.mkdirSync(path.join(project.dir, 'environments/odd.yaml'));
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  // Before: "packs/ghost/pack.yaml:1:1 cannot read: EISDIR: illegal operation on a directory, read".
  expect(result.stdout).toBe(
    [
      'environments/odd.yaml:1:1 a folder, not a file',
      '  hint: packgate reads environments/odd.yaml as a file: remove or rename the folder, and write the file if it belongs there',
      'packs/ghost/pack.yaml:1:1 a folder, not a file',
      '  hint: packgate reads packs/ghost/pack.yaml as a file: remove or rename the folder, and write the file if it belongs there',
      '',
      '2 errors in 2 files',
      '',
    ].join('\n'),
  );
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
    'environments/demo.yaml:21:64 secrets.user-password.generate: stage demo must take secrets from its env vars; "generate" is for the dev stage only',
    '',
    '2 errors in 1 file',
    '',
  ]);
  expect(result.exitCode).toBe(2);
});

test('playwright test refuses to start on a broken catalogue: every problem, exit 2, nothing run', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // A clean run first: it keeps its validated catalogue, which the broken files below must not pass as.
  expect((await project.playwright(['--list'])).exitCode).toBe(0);
  expect(project.exists('.packgate/catalogue.json')).toBe(true);
  project.write({
    'packs/broken/pack.yaml': brokenPack,
    'packs/broken/api.spec.ts': spec('broken', 'api'),
    'packs/broken/tests.yaml': tests('broken'),
  });
  const result = await project.playwright(['--project=local-api']);
  expect(result.stderr).toContain('packgate: the catalogue has problems (3 errors in 1 file):');
  expect(result.stderr).toContain('packs/broken/pack.yaml:11:1 colour: unknown field "colour"');
  expect(result.exitCode).toBe(2);
  // Nothing ran, and no earlier verdict is left to be mistaken for this run's.
  expect(project.exists('gate-results/verdict.json')).toBe(false);
});

test('packs name stages, environments choose among them: what cannot run where it is sent is an error', async ({}, testInfo) => {
  const pack = brokenPack
    .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\n')
    .replace('time_budget_s: "ten"\ncolour: blue\n', '')
    .replace('policy: { dev: blocking }', 'policy: { dev: blocking, demo: advisory }');
  const project = await TempProject.create(testInfo, {
    'packs/broken/pack.yaml': pack,
    'packs/broken/api.spec.ts': spec('broken', 'api'),
    'packs/broken/tests.yaml': tests('broken'),
  });
  project.edit(
    'environments/staging.yaml',
    text =>
      `${text}packs:\n  include:\n    - { pack: broken, policy: advisory }\n` +
      `  exclude:\n    - { pack: auth-session, reason: staging has no test account yet }\n`,
  );
  project.edit(
    'environments/prod.yaml',
    text => `${text}packs:\n  exclude:\n    - { pack: broken, reason: never ran here }\n`,
  );
  const result = await project.packgate(['lint']);
  const lines = result.stdout.split('\n').filter(l => !l.startsWith('  hint:'));
  expect(lines).toEqual([
    'environments/prod.yaml:30:7 packs.exclude[0]: warning: ' +
      'pack "broken" does not run in "prod" anyway (its policy names no stage prod)',
    'environments/staging.yaml:28:5 packs.include: ' +
      'pack "broken" runs in "staging" (stage staging, remote) but none of its layers (api) is one "staging" runs (remote)',
    'packs/broken/pack.yaml:6:32 policy.demo: pack "broken" runs in "demo" (stage demo, remote) but none of its layers (api) is one "demo" runs (remote)',
    '',
    '2 errors and 1 warning in 3 files',
    '',
  ]);
  expect(result.stdout).toContain(
    '  hint: add remote to layers: in packs/broken/pack.yaml with the spec it runs (e.g. remote: <name>.spec.ts), ' +
      'or exclude it in environments/demo.yaml under packs.exclude with a reason',
  );
  expect(result.exitCode).toBe(2);
});

test('a pack holding a URL, host, port, credential or selector literal fails lint, each named where it is', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.write({
    'packs/auth-session/helpers.ts': `// A URL in a comment is fine: https://www.rfc-editor.org/rfc/rfc9700
export const app = 'https://aicloud-demo-app.core42.dev/shell';
export const local = \`http://\${'x'}\`;
export const host = '127.0.0.1:4410';
export const login = { username: 'ada', password: 'hunter22' };
export const byId = (page: { locator(s: string): unknown }) => page.locator('.user-menu');
export const testid = '[data-testid=user-identity]';
export const words = 'the shell shows who is signed in';
`,
  });
  const result = await project.packgate(['lint']);
  const lines = result.stdout.split('\n').filter(l => !l.startsWith('  hint:'));
  expect(lines).toEqual([
    'packs/auth-session/helpers.ts:2:20 a URL literal "https://aicloud-demo-app.core42.dev/shell"',
    'packs/auth-session/helpers.ts:3:22 a URL literal "http://${\'x\'}"',
    'packs/auth-session/helpers.ts:4:21 a host or port literal "127.0.0.1:4410"',
    'packs/auth-session/helpers.ts:5:51 a credential literal in a pack',
    'packs/auth-session/helpers.ts:6:77 a selector literal ".user-menu"',
    'packs/auth-session/helpers.ts:7:23 a selector literal "[data-testid=user-identity]"',
    '',
    '6 errors in 1 file',
    '',
  ]);
  expect(result.stdout).toContain("  hint: name it under selectors: in pack.yaml and use pack.selector('name')");
  expect(result.exitCode).toBe(2);
});

test('a layer a pack declares must run: never run by its environments, manual without checks, checks without the layer', async ({}, testInfo) => {
  const check = (id: string, start: string) =>
    `  - { id: ${id}, title: T, start: ${start}, steps: [s], expected: e, lane: C-ops, valid_for: 1d, policy: { prod: blocking } }\n`;
  const project = await TempProject.create(testInfo, {
    // parity and manual declared; local (the only environment running it, at dev) runs api and browser.
    'environments/parity.yaml': parityWithout('broken'),
    'packs/broken/pack.yaml': brokenPack
      .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\npaths: { home: / }\n')
      .replace('time_budget_s: "ten"\ncolour: blue\n', '')
      .replace('layers: [api]', 'layers: [api, parity, manual]'),
    'packs/broken/api.spec.ts': spec('broken', 'api'),
    'packs/broken/parity.spec.ts': spec('broken', 'parity'),
    'packs/broken/tests.yaml': `${tests('broken')}parity.spec.ts:\n  - broken › works\n`,
    // Checks, but no manual layer; one starts at no path of the pack, one names a stage it does not run at.
    'packs/other/pack.yaml':
      brokenPack
        .replace('id: broken', 'id: other')
        .replace('seeds: [core, no-such-seed]\n', 'seeds: [core]\npaths: { home: / }\n')
        .replace('time_budget_s: "ten"\ncolour: blue\n', '') +
      'manual:\n' +
      check('looks', 'home') +
      check('looks', 'nowhere'),
    'packs/other/api.spec.ts': spec('other', 'api'),
    'packs/other/tests.yaml': tests('other'),
  });
  const result = await project.packgate(['lint']);
  const lines = result.stdout.split('\n').filter(l => !l.startsWith('  hint:'));
  expect(lines).toEqual([
    'packs/broken/pack.yaml:8:9 layers: layer "manual" has no manual checks: declare them under manual: ' +
      '(id, title, start, steps, expected, lane, valid_for), or remove the layer',
    'packs/broken/pack.yaml:8:15 layers[1]: pack broken declares layer "parity", which no environment that runs the pack runs (local: api, browser)',
    'packs/broken/pack.yaml:8:23 layers[2]: pack broken declares layer "manual", which no environment that runs the pack runs (local: api, browser)',
    'packs/other/pack.yaml:13:3 manual: the pack declares manual checks but not the "manual" layer, so no gate would judge them: add manual to layers',
    'packs/other/pack.yaml:13:110 manual[0].policy.prod: the pack does not run at stage prod (its policy names dev)',
    'packs/other/pack.yaml:14:11 manual[1].id: manual check "looks" is declared twice',
    `packs/other/pack.yaml:14:35 manual[1].start: "nowhere" is not one of the pack's paths (home); name it under paths: first`,
    'packs/other/pack.yaml:14:113 manual[1].policy.prod: the pack does not run at stage prod (its policy names dev)',
    '',
    '8 errors in 2 files',
    '',
  ]);
  expect(result.exitCode).toBe(2);
});

test('a manual check starting at no path of the pack: did you mean the near one, else add it under paths:', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  withManualCheck(project);
  project.edit(
    'packs/auth-session/pack.yaml',
    text =>
      text.replace('    start: shell\n', '    start: shel\n') +
      '  - { id: elsewhere, title: T, start: nowhere, steps: [s], expected: e, lane: C-ops, valid_for: 1d }\n',
  );
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  // Before, both hints were "see schemas/pack.schema.json for what this field takes", a file that
  // knows nothing of the pack's own path names.
  expect(result.stdout).toMatch(
    /manual\[0\]\.start: "shel" is not one of the pack's paths \([^)]*\); name it under paths: first\n {2}hint: did you mean "shell"\?\n/,
  );
  expect(result.stdout).toMatch(
    /manual\[1\]\.start: "nowhere" is not one of the pack's paths \([^)]*\); name it under paths: first\n {2}hint: add it under paths: \(nowhere: \/its\/path, or \{ base: api, path: \/v1\/\.\.\. \}\), then run `npx packgate types`\n/,
  );
  expect(result.stdout).not.toContain('schemas/pack.schema.json');
});

test('no_account_for names seed personas, never the identity of a pack that runs there', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text =>
    text.replace(/^secrets:$/m, 'no_account_for: [grace, ada, gracie]\nsecrets:'),
  );
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stdout).toMatch(
    /environments\/demo\.yaml:\d+:\d+ no_account_for\[1\]: pack "auth-session" runs here and signs in as "ada" in every test, but this environment has no account for it\n {2}hint: give "ada" an account \(identities:, secrets:\), or exclude auth-session under packs\.exclude with a reason/,
  );
  expect(result.stdout).toMatch(
    /environments\/demo\.yaml:\d+:\d+ no_account_for\[2\]: "gracie" is no user of this environment's seed sets/,
  );
  expect(result.stdout).not.toMatch(/no_account_for\[0\]/);
});

test('an environment defines the secrets of the accounts its packs sign in as, not of every seed user', async ({}, testInfo) => {
  const catalogue = loadCatalogueOrThrow(REPO);
  const asGrace = [...catalogue.packs.values()].filter(p => p.value.personas.includes('grace')).map(p => p.value.id);
  expect(asGrace.length, 'some pack signs in as grace').toBeGreaterThan(0);
  // A deployment with one test account: no secret for grace, and no pack run there signs in as her.
  const solo = fs
    .readFileSync(path.join(REPO, 'environments/demo.yaml'), 'utf8')
    .replace('name: demo', 'name: solo')
    .replace(/ {2}member-password: .*\n/, '');
  const exclude = (packs: string[]) =>
    `packs:\n  exclude:\n${packs.map(p => `    - { pack: ${p}, reason: "signs in as grace, who has no account here" }\n`).join('')}`;
  const project = await TempProject.create(testInfo, { 'environments/solo.yaml': solo + exclude(asGrace) });
  const clean = await project.packgate(['lint']);
  expect(clean.exitCode, clean.output).toBe(0);
  expect(clean.stdout).not.toContain('member-password');

  project.write({ 'environments/solo.yaml': solo + exclude(asGrace.slice(1)) });
  const missing = await project.packgate(['lint']);
  expect(missing.exitCode, missing.output).toBe(2);
  expect(missing.stdout).toContain(
    `seed set "core" user "grace" needs secret "member-password", which this environment does not define (pack ${asGrace[0]} signs in as "grace" here)`,
  );

  // Or said to have none (no_account_for); a key under secrets: one typo away is named, where it is.
  project.write({
    'environments/solo.yaml': solo
      .replace(/^secrets:$/m, 'no_account_for: [grace]\nsecrets:')
      .replace('user-password:', 'user-pasword:'),
  });
  const typo = await project.packgate(['lint']);
  expect(typo.exitCode, typo.output).toBe(2);
  expect(typo.stdout).toMatch(
    /environments\/solo\.yaml:\d+:\d+ secrets\.user-pasword: seed set "core" user "ada" needs secret "user-password", which this environment does not define .*\n {2}hint: secrets: names "user-pasword": did you mean "user-password"\? rename it\n/,
  );
  expect(typo.stdout).not.toContain('member-password');

  // A persona mapped to a secret misspelt: the mapping is named, with the secret it was near. Before:
  // the secret's key was, with a hint to rename it to the misspelling.
  project.write({
    'environments/solo.yaml': solo
      .replace(/^secrets:$/m, 'no_account_for: [grace]\nsecrets:')
      .replace(/^seeds:/m, 'identities:\n  ada: { username: ada, password_secret: user-pasword }\nseeds:'),
  });
  const mapped = await project.packgate(['lint']);
  expect(mapped.exitCode, mapped.output).toBe(2);
  expect(mapped.stdout).toMatch(
    /environments\/solo\.yaml:\d+:\d+ identities\.ada\.password_secret: seed set "core" user "ada" needs secret "user-pasword", which this environment does not define .*\n {2}hint: secrets: names "user-password": did you mean password_secret: user-password\?\n/,
  );
});

/** environments/parity.yaml with a pack left out of it (the pack then runs at dev in local alone). */
function parityWithout(pack: string): string {
  const descriptor = fs.readFileSync(path.join(REPO, 'environments/parity.yaml'), 'utf8');
  return `${descriptor}packs:\n  exclude:\n    - { pack: ${pack}, reason: the test's pack runs in local only }\n`;
}

test('lint --json says ok as its exit code does: true on a clean catalogue, false (exit 2) with an error', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const clean = await project.packgate(['lint', '--json']);
  expect(clean.exitCode, clean.output).toBe(0);
  expect(JSON.parse(clean.stdout)).toMatchObject({ schemaVersion: 1, ok: true, diagnostics: [] });

  // A typo in a field name: before, the JSON had no ok at all, though lint exited 2.
  project.edit('packs/auth-session/pack.yaml', text => text.replace(/^owner:/m, 'ownr:'));
  const broken = await project.packgate(['lint', '--json']);
  expect(broken.exitCode, broken.output).toBe(2);
  const json = JSON.parse(broken.stdout);
  expect(json).toMatchObject({ schemaVersion: 1, ok: false });
  expect(json.diagnostics).toContainEqual(
    expect.objectContaining({ severity: 'error', file: 'packs/auth-session/pack.yaml', path: 'ownr' }),
  );
});

test('a refusal test in a spec a list of layers does not run: lint names the claim and the map that runs it', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'packs/fresh/pack.yaml': `schema_version: 1
id: fresh
title: A new pack
journey: A user lists their allocations.
owner: C-ops
required_proof: the allocations are listed, and refused to a visitor
policy: { dev: advisory }
lowest_reliable_layer: api
layers: [browser, api]
refusals_note: a pack of a test
refusals:
  - id: visitor-allocations
    as: no-session
    action: GET allocations-api
    status: 401
    unchanged: no allocation in the answer
paths:
  allocations: /shell/allocations
  allocations-api: { base: api, path: /v1/allocations }
`,
    'packs/fresh/api.spec.ts': "import { test } from './pack.gen.ts';\n\ntest('lists', async () => {});\n",
    'packs/fresh/browser.spec.ts': "import { test } from './pack.gen.ts';\n\ntest('shows', async () => {});\n",
    'packs/fresh/refusals.spec.ts':
      "import { refuses, test } from './pack.gen.ts';\n\ntest('a visitor is refused', refuses('visitor-allocations'), async () => {});\n",
    'packs/fresh/tests.yaml':
      'api.spec.ts: [lists]\nbrowser.spec.ts: [shows]\nrefusals.spec.ts: [a visitor is refused]\n',
  });
  expect((await project.packgate(['types'])).exitCode).toBe(0);
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(2);
  // Before: 'claimed by no test of the specs the pack runs' with 'prove it in a spec of the pack',
  // the test being there; 'layers: { <layer>: refusals.spec.ts }', which would stop the specs the
  // list ran; and 'run `npx packgate tests --update`', which would drop the spec's tests.
  expect(lint.stdout).toContain(
    'packs/fresh/pack.yaml:12:9 refusals[0].id: refusal "visitor-allocations" is claimed only by packs/fresh/refusals.spec.ts:3, a spec no layer runs\n' +
      '  hint: name refusals.spec.ts under the layer that proves it in layers: of packs/fresh/pack.yaml\n' +
      'packs/fresh/refusals.spec.ts:1:1 no layer runs this spec: packs/fresh/pack.yaml names it under none of its layers\n' +
      '  hint: name it under the layers that run it (layers: { browser: browser.spec.ts, api: [api.spec.ts, refusals.spec.ts] }), or delete it\n' +
      'packs/fresh/tests.yaml:3:19 refusals.spec.ts: warning: lists tests of refusals.spec.ts, but pack.yaml runs no such spec at any layer\n' +
      '  hint: refusals.spec.ts is still beside pack.yaml: name it under layers: in packs/fresh/pack.yaml; ' +
      "if it is no longer the pack's, delete it and run `npx packgate tests --update` and commit the result\n",
  );

  // The hint's map, as given: lint passes.
  project.edit('packs/fresh/pack.yaml', text =>
    text.replace(
      'layers: [browser, api]',
      'layers: { browser: browser.spec.ts, api: [api.spec.ts, refusals.spec.ts] }',
    ),
  );
  const fixed = await project.packgate(['lint']);
  expect(fixed.exitCode, fixed.output).toBe(0);
});

// Before: six errors of packs needing seed set "core", not listed, above the one that said why, with
// the list of known seed sets for a hint.
test('an environment listing a misspelt seed set gets one error, where it is written, with the set it is near', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('environments/demo.yaml', text => text.replace(/^seeds: \[core\]$/m, 'seeds: [cor]'));
  const result = await project.packgate(['lint']);
  expect(result.exitCode, result.output).toBe(2);
  expect(result.stdout).toMatch(
    /^environments\/demo\.yaml:\d+:\d+ seeds\[0\]: seed set "cor" does not exist\n {2}hint: did you mean "core"\?\n\n1 error in 1 file\n$/,
  );
});
