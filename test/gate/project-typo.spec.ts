import { expect, test } from '@playwright/test';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * A `--project` value no project has is refused before the run starts: exit 2, the nearest name and
 * each project once, no stack, no verdict, no run plan. What Playwright accepts still runs.
 */

const STACK_MARKER = 'stack-started';

/** A project whose local stack, were it ever started, leaves a file saying so (and fails). */
async function markedProject(testInfo: Parameters<typeof TempProject.create>[0]): Promise<TempProject> {
  const project = await TempProject.create(testInfo, {
    'mark-stack.mjs': `import fs from 'node:fs';\nfs.writeFileSync('${STACK_MARKER}', '');\nprocess.exit(1);\n`,
  });
  project.edit('environments/local.yaml', text =>
    text.replace(/command: node stack\/run\.js --env local/, 'command: node mark-stack.mjs'),
  );
  expect(project.read('environments/local.yaml')).toContain('command: node mark-stack.mjs');
  return project;
}

test('a misspelt --project stops the run (exit 2), naming the nearest project and each project once; nothing starts', async ({}, testInfo) => {
  const project = await markedProject(testInfo);
  // PACKGATE_STACK=always: a run that got as far as its web servers would start the local stack.
  for (const args of [['--project=local-browsr'], ['--project=local-browsr', '--list']]) {
    const run = await project.playwright(args, { PACKGATE_STACK: 'always' });
    expect(run.exitCode, run.output).toBe(2);
    expect(run.stderr).toMatch(
      /^packgate: no project "local-browsr" in this catalogue: did you mean "local-browser"\?\n/,
    );
    expect(run.stderr).toContain('\n    local: local-sign-in, local-api, local-browser\n');
    expect(run.stderr).toContain('\n    demo: demo-sign-in, demo-remote (run only when named)\n');
    // Each project once, where Playwright's own message named every layer twice.
    const listed = run.stderr.split('\n').filter(line => line.startsWith('    '));
    const names = listed.flatMap(line =>
      line
        .replace(/^ {4}\w+: /, '')
        .replace(/ \(.*\)$/, '')
        .split(', '),
    );
    expect(names.length).toBeGreaterThan(5);
    expect(new Set(names).size).toBe(names.length);
    expect(run.output).not.toContain('Available projects');
    expect(run.output).not.toContain('at filterProjects');
    expect(project.exists(STACK_MARKER), 'no stack started').toBe(false);
    expect(project.exists('gate-results/verdict.json')).toBe(false);
    expect(project.exists('.packgate/runs'), 'no run plan written').toBe(false);
    expect(project.exists('.packgate/queue.db'), 'nothing recorded in the queue store').toBe(false);
  }
  // The marker works: a run that does start goes on to the stack, which leaves it.
  const started = await project.playwright(['--project=local-api']);
  expect(started.exitCode, started.output).toBe(1);
  expect(project.exists(STACK_MARKER), 'a run that starts starts the stack').toBe(true);
});

// Before: any other value ran as auto; `nevr` started the stack the person meant to reuse.
test('a misspelt PACKGATE_STACK stops the run (exit 2), naming the value meant; nothing starts', async ({}, testInfo) => {
  const project = await markedProject(testInfo);
  const run = await project.playwright(['--project=local-api'], { PACKGATE_STACK: 'nevr' });
  expect(run.exitCode, run.output).toBe(2);
  expect(run.stderr).toMatch(
    /^packgate: PACKGATE_STACK=nevr is not understood\n {2}hint: did you mean "never"\? one of: auto, always, never /,
  );
  expect(project.exists(STACK_MARKER), 'no stack started').toBe(false);
});

test('a run selecting projects of two environments stops before any runs (exit 2), saying how to run each; a listing of them lists', async ({}, testInfo) => {
  const project = await markedProject(testInfo);
  const refused = async (args: string[], env: Record<string, string> = {}) => {
    const run = await project.playwright(args, { PACKGATE_STACK: 'always', ...env });
    expect(run.exitCode, run.output).toBe(2);
    expect(project.exists(STACK_MARKER), 'no stack started').toBe(false);
    expect(project.exists('gate-results/verdict.json')).toBe(false);
    expect(project.exists('.packgate/runs'), 'no run plan written').toBe(false);
    expect(project.exists('.packgate/queue.db'), 'nothing recorded in the queue store').toBe(false);
    return run.stderr;
  };
  // A wildcard that reads as "every environment's api layer": the gate judged only the first, at the end.
  expect(await refused(['--project=*-api'])).toBe(
    'packgate: --project "*-api" selects projects of 2 environments (local: local-api; parity: parity-api), ' +
      'and a gate run judges one environment\n' +
      '  hint: run each environment on its own: --project local-api, then --project parity-api\n',
  );
  // A deployment named beside the local projects: its tests would have run against it, unjudged.
  expect((await refused(['--project', 'local-api', 'demo-remote'])).split('\n')[0]).toBe(
    'packgate: --project "local-api" or "demo-remote" selects projects of 2 environments ' +
      '(demo: demo-remote; local: local-api), and a gate run judges one environment',
  );
  // Two environments run by default: `npx playwright test` alone.
  project.edit('environments/parity.yaml', text =>
    text.replace('kind: parity\n', 'kind: parity\nrun_by_default: true\n'),
  );
  expect(project.read('environments/parity.yaml')).toContain('run_by_default: true');
  const defaults = await refused([]);
  expect(defaults).toMatch(/^packgate: the projects run by default belong to 2 environments \(local: local-sign-in, /);
  expect(defaults).toContain('set run_by_default: false in the descriptors of those that should run only when named');
  // Listing runs nothing, so it lists every environment's projects it is asked for.
  const listed = await project.playwright(['--list', '--project=*-api']);
  expect(listed.exitCode, listed.output).toBe(0);
  expect(listed.stdout).toContain('[local-api] › ');
  expect(listed.stdout).toContain('[parity-api] › ');
});

test("an environment's layer it has no project of is refused saying why (exit 2), not offered another layer; nothing starts", async ({}, testInfo) => {
  const project = await markedProject(testInfo);
  for (const [value, why] of [
    // The README's `--project=local-unit` before local lists unit: the nearest name, local-api, is not it.
    ['local-unit', 'local does not run the unit layer (layers in environments/local.yaml: api, browser)'],
    // Playwright's own "Project(s) ... not found" exits 1, as a BLOCKED gate does.
    ['demo-api', 'demo does not run the api layer (layers in environments/demo.yaml: remote)'],
    [
      'local-manual',
      'the manual layer has no project: a gate reads the verdicts people recorded of its checks ' +
        '(`npx packgate manual run|record`) and judges them beside the tests',
    ],
  ]) {
    const run = await project.playwright([`--project=${value}`], { PACKGATE_STACK: 'always' });
    expect(run.exitCode, run.output).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`packgate: no project "${value}" in this catalogue: ${why}`);
    expect(run.stderr).toContain('\n    local: local-sign-in, local-api, local-browser\n');
    expect(run.output).not.toContain('Available projects');
    expect(project.exists(STACK_MARKER), 'no stack started').toBe(false);
    expect(project.exists('gate-results/verdict.json')).toBe(false);
  }
});

test('what Playwright accepts still runs: a name in another case, a wildcard, a deployed environment named', async ({}, testInfo) => {
  const project = await markedProject(testInfo);
  for (const args of [
    ['--project=LOCAL-Browser'],
    ['--project=parity-*'],
    ['--project', 'nothing-*', 'local-api'],
    ['--project=demo-remote'],
  ]) {
    const listed = await project.playwright(['--list', ...args]);
    expect(listed.exitCode, `${args.join(' ')}\n${listed.output}`).toBe(0);
    expect(listed.stdout).toMatch(/Total: \d+ tests? in \d+ files?/);
    expect(listed.stderr).not.toContain('packgate:');
  }
  const browser = await project.playwright(['--list', '--project=LOCAL-Browser']);
  expect(browser.stdout).toContain('[local-browser] › ');
  expect(browser.stdout).not.toContain('[local-api] › ');
  const parity = await project.playwright(['--list', '--project=parity-*']);
  expect(parity.stdout).toContain('[parity-parity] › ');
  expect(project.exists(STACK_MARKER)).toBe(false);
});

test('a project playwright.config.ts adds beside the catalogue is judged by Playwright, not refused as a typo', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    'smoke/own.spec.ts': `import { test } from '@playwright/test';\ntest('our own smoke', async () => {});\n`,
  });
  project.edit('playwright.config.ts', text =>
    text.replace('projects: gate.projects,', "projects: [...gate.projects, { name: 'our-smoke', testDir: 'smoke' }],"),
  );
  expect(project.read('playwright.config.ts')).toContain("name: 'our-smoke'");
  const listed = await project.playwright(['--list', '--project=our-smoke']);
  expect(listed.exitCode, listed.output).toBe(0);
  expect(listed.stdout).toContain('[our-smoke] › smoke/own.spec.ts');
  // Near none of the catalogue's projects and none of the config's: Playwright's own refusal.
  const unknown = await project.playwright(['--list', '--project=our-smoak-test-suite']);
  expect(unknown.exitCode).toBe(1);
  expect(unknown.output).toContain('Project(s) "our-smoak-test-suite" not found');
});
