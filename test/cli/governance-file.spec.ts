import { expect, test } from '@playwright/test';
import { EXAMPLE_ENV, EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

test("what the governance file holds is named by the file packgate.yaml's governance: points at, not governance.yaml", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    'config/lanes.yaml': project.read('governance.yaml'),
    'governance.yaml': null,
    'packgate.yaml': `${project.read('packgate.yaml')}governance: config/lanes.yaml\n`,
    'job.log': 'the job failed\n',
  });

  const dispatch = await project.packgate(['task', 'dispatch', 'ANY-1', '--provider', 'zzzz']);
  expect(dispatch.exitCode, dispatch.output).toBe(2);
  expect(dispatch.stderr).toBe(
    'packgate: unknown provider "zzzz"\n  hint: known providers: claude-code (config/lanes.yaml watch.providers)\n',
  );

  const close = await project.packgate([
    'watch',
    'close',
    'ANY-1',
    '--status',
    'failure',
    '--class',
    'zzzz',
    '--evidence',
    'job.log',
  ]);
  expect(close.exitCode, close.output).toBe(2);
  expect(close.stderr).toBe(
    'packgate: --class "zzzz" is not a failure class\n' +
      '  hint: known classes: auth, network, quota, infrastructure, test-failure, gate-blocked ' +
      "(the packet's failure.classes, watch.classes in config/lanes.yaml, gate-blocked); nothing was recorded\n",
  );
});

test("a packet's missing or empty field that governance gives is hinted at the file packgate.yaml's governance: points at", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    'config/lanes.yaml': project.read('governance.yaml'),
    'governance.yaml': null,
    'packgate.yaml': `${project.read('packgate.yaml')}governance: config/lanes.yaml\n`,
  });
  const { OWNER_LANE: _, ...noLane } = EXAMPLE_ENV;
  const made = await project.packgate(['packet', 'new'], noLane);
  expect(made.exitCode, made.output).toBe(2);
  expect(made.stderr).toBe(
    'packgate: packet new cannot write a complete packet:\n' +
      '  owner_lane: missing required field "owner_lane"\n' +
      '    hint: add "owner_lane:": the lane that owns the work, one of config/lanes.yaml `lanes:` (OWNER_LANE)\n' +
      '  (1 error)\n' +
      '  hint: give what is missing as a flag or env var (see packet new --help); nothing was written\n',
  );
});

// Before: "lanes.C-ops.description: Too small: expected string to have >=1 characters", "defaults.non_goals[1]: is empty".
test('an empty text of the governance file says it is empty and what to write there, located, exit 2', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    'governance.yaml': `lanes:
  C-ops:
    description: ''
    owned_files: [packs/**, '  ']
defaults:
  non_goals: [release redesign, '']
review:
  routes:
    - { paths: [packs/**], lane: C-ops, why: '' }
`,
  });
  await expectGovernanceErrors(project, [
    'governance.yaml:3:18 lanes.C-ops.description: "description" is empty: say in a sentence what the lane owns, ' +
      'e.g. "CI, deploy and release gates"',
    'governance.yaml:4:29 lanes.C-ops.owned_files[1]: item 2 of "owned_files" is empty: write a path glob relative ' +
      'to the repository root, e.g. "src/**", or remove the item',
    'governance.yaml:6:33 defaults.non_goals[1]: item 2 of "non_goals" is empty: write what the work must not turn ' +
      'into, or remove the item',
    'governance.yaml:9:46 review.routes[0].why: "why" is empty: say why a change of these paths needs this lane\'s review',
  ]);
});

// Before: "review.routes[0].paths: Too small: expected array to have >=1 items", zod's words, with no word of what to list.
test('an empty required list of the governance file says it is empty and what to list there, located, exit 2, nothing written', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({
    'governance.yaml': `lanes:
  C-ops: { description: the release gates, owned_files: [packs/**] }
review:
  routes:
    - { paths: [], lane: C-ops, why: the gate's packs }
  special_logic:
    - { paths: [], kind: ci, why: CI runs the gate }
watch:
  classes:
    - { name: network, patterns: [] }
`,
  });
  await expectGovernanceErrors(project, [
    'governance.yaml:5:16 review.routes[0].paths: "paths" is empty: list the path globs whose changes this lane ' +
      'reviews, e.g. ["src/auth/**"]',
    'governance.yaml:7:16 review.special_logic[0].paths: "paths" is empty: list the path globs whose changes add ' +
      'this special logic, e.g. [".github/**"]',
    'governance.yaml:10:34 watch.classes[0].patterns: "patterns" is empty: list regular expressions of a log line ' +
      'that shows this failure, e.g. ["ECONNRESET", "ETIMEDOUT"]',
  ]);
  // A command that would write refuses the file the same way, and writes nothing.
  const made = await project.packgate(['packet', 'new'], EXAMPLE_ENV);
  expect(made.exitCode, made.output).toBe(2);
  expect(made.stderr).toContain('governance.yaml:5:16 review.routes[0].paths: "paths" is empty: list the path globs');
  expect(made.stderr).not.toContain('Too small');
  expect(project.exists(`.packgate/packets/${EXAMPLE_TASK}.yaml`)).toBe(false);
  expect(project.storeSnapshot()).toBe('no store');
});

test('--help says how the governance file is found, where it named governance.yaml as if always that file', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  const found =
    "the governance file (the one packgate.yaml's `governance:` names, else governance.yaml at the project root)";
  for (const command of [
    ['packet', 'new'],
    ['watch', 'new'],
    ['task', 'dispatch'],
  ]) {
    const help = await project.packgate([...command, '--help']);
    expect(help.exitCode, help.output).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain(found);
    // Before: "OWNER_LANE: the owning lane, from governance.yaml", "(governance.yaml watch.providers)".
    expect(text.replaceAll(found, '')).not.toContain('governance.yaml');
  }
});

/** `packgate lint` says exactly these errors of the governance file, each with the schema's hint, and exits 2. */
async function expectGovernanceErrors(project: TaskProject, errors: string[]): Promise<void> {
  const lint = await project.packgate(['lint']);
  expect(lint.exitCode, lint.output).toBe(2);
  expect(lint.stdout).toBe(
    errors.map(line => `${line}\n  hint: see schemas/governance.schema.json for what this field takes\n`).join('') +
      `\n${errors.length} errors in 1 file\n`,
  );
}
