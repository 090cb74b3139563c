import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/** `npm run check`'s layer check, run for real in a copy of the project. */
const checkLayers = (project: TempProject) => project.spawn(['--import', 'tsx', 'scripts/check-layers.ts']);

test('the project as it is keeps its walls: exit 0', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const result = await checkLayers(project);
  expect(result.output).toBe('layer check ok\n');
  expect(result.exitCode).toBe(0);
});

test('a gate file importing the queue store fails the check, naming both folders and what is allowed', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('src/gate/judge.ts', text => `import type { QueueStore } from '../store/queue-store.ts';\n${text}`);
  const result = await checkLayers(project);
  expect(result.stderr).toBe(
    'layer check failed:\n' +
      '  src/gate/judge.ts:1 gate/ imports store/ ("../store/queue-store.ts"); gate/ may import only catalogue/, ' +
      'environment/, evidence/, reports/, run/, schema/, diagnostics/, fs/, git/, text/ (scripts/src-folders.ts)\n',
  );
  expect(result.exitCode).toBe(1);
});

test('folders importing each other in a loop are named with an import for each step', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit(
    'src/catalogue/spec-path.ts',
    text => `import type { ObservedTest } from '../gate/observe.ts';\n${text}`,
  );
  const result = await checkLayers(project);
  expect(result.stderr).toContain(
    '  src/catalogue/spec-path.ts:1 catalogue/ imports gate/ ("../gate/observe.ts"); catalogue/ may import only schema/, diagnostics/',
  );
  expect(result.stderr).toMatch(
    /\n {2}src\/ folders import each other in a loop: catalogue\/ -> gate\/ \(src\/catalogue\/spec-path\.ts:1\); gate\/ -> catalogue\/ \(src\/gate\/\S+:\d+\)\n/,
  );
  expect(result.exitCode).toBe(1);
});

test('the table keeps the wings apart itself, and every file of src/ sits in a folder it lists', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('scripts/src-folders.ts', text =>
    text.replace("may: ['diagnostics'], why: 'the git", "may: ['diagnostics', 'store'], why: 'the git"),
  );
  project.write({ 'src/helpers.ts': 'export const x = 1;\n', 'src/extras/y.ts': 'export const y = 1;\n' });
  const result = await checkLayers(project);
  expect(result.stderr).toContain(
    '  scripts/src-folders.ts: git/ (shared) may not import store (queue): shared folders import neither wing\n',
  );
  expect(result.stderr).toContain(
    '  src/helpers.ts is outside any folder of src/: move it into one (scripts/src-folders.ts lists them)\n',
  );
  expect(result.stderr).toContain(
    '  src/extras/ is not in scripts/src-folders.ts: add it with its wing, why it exists and what it may import\n',
  );
  expect(result.exitCode).toBe(1);
});

test('a fixture loading a library every worker would load at start fails the check, naming the chain and what to do', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('fixtures/oidc.ts', text =>
    text.replace("import type * as client from 'openid-client';", "import * as client from 'openid-client';"),
  );
  const result = await checkLayers(project);
  expect(result.stderr).toContain(
    'fixtures/index.ts -> fixtures/oidc.ts imports "openid-client", which test workers must not load at start ' +
      '(import it where an OIDC request is built: await import("openid-client"))',
  );
  expect(result.exitCode).toBe(1);
});

test("a pack's spec loading such a library at start fails the check too: the runner and its workers load the specs", async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('packs/node-inventory/api.spec.ts', text => `import 'yaml';\n${text}`);
  const result = await checkLayers(project);
  expect(result.stderr).toContain(
    'packs/node-inventory/api.spec.ts imports "yaml", which test workers must not load at start (use the run plan)',
  );
  expect(result.exitCode).toBe(1);
});

test('a reporter loading zod before the first test fails the check: a run whose catalogue is kept starts without it', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  project.edit('reporters/gate-reporter.ts', text =>
    text.replace(
      "import { releaseStages } from '../src/schema/constants.ts';",
      "import { releaseStages } from '../src/schema/common.ts';",
    ),
  );
  const result = await checkLayers(project);
  expect(result.stderr).toContain(
    'reporters/gate-reporter.ts -> src/schema/common.ts imports "zod", which the runner must not load at start ' +
      '(import the module that needs it where it is used, as the gate reporter imports gate-verdict.ts)',
  );
  expect(result.exitCode).toBe(1);
});
