import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { planProjects } from '../../src/catalogue/project-plan.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { checkProjectFilter } from '../../src/playwright/project-filter.ts';
import { projectSelection } from '../../src/playwright/selection.ts';
import { readCommandLine } from '../../src/run/command-line.ts';
import { playwrightAcceptsProjects, playwrightProjectArgs } from '../helpers/playwright-internals.ts';
import { REPO } from '../helpers/temp-project.ts';

const catalogue = loadCatalogueOrThrow(REPO);
const plans = planProjects(catalogue);
const argv = (...args: string[]) => ['node', 'playwright', 'test', ...args];

/** The refusal checkProjectFilter throws for a command line, or undefined when it lets it run. */
function refusal(...args: string[]): string | undefined {
  try {
    checkProjectFilter(projectSelection(readCommandLine(argv(...args))).patterns, plans, catalogue);
    return undefined;
  } catch (error) {
    if (!(error instanceof PackgateError)) throw error;
    expect(error.exitCode).toBe(2);
    return error.message;
  }
}

/** Accepted and refused alike: names in any case, wildcards, lists, commas, odd values. */
const COMMAND_LINES: string[][] = [
  [],
  ['--project=local-browser'],
  ['--project=LOCAL-Browser', 'packs/auth-session/'],
  ['--project', 'local-api', 'local-browser', '--list'],
  ['--project', 'local-api', '--project=demo-remote'],
  ['--project=parity-*'],
  ['--project=*'],
  ['--project', 'nothing-*', 'local-api'],
  ['--project=local-sign-in'],
  ['--project=local-browsr'],
  ['--project', 'local-api', 'lokal-browser'],
  ['--project=local-api,local-browser'],
  ['--project=nothing-*'],
  ['--project=local'],
  ['--project='],
  ['--project', '--list'],
  ['--project', 'local-api', '-', '-1'],
  ['--project', 'local-api', '--', '--project=nope'],
  ['--project=local-api', 'local-browsr'],
  ['--project', 'Local-Api', 'LOCAL-API'],
  ['--project', 'nope', 'NOPE'],
  ['--project=local-unit'],
  ['--project=Demo-Manual'],
];

test("a command line Playwright's own filter accepts is never refused; one with a misspelt project always is", () => {
  const refused = COMMAND_LINES.filter(args => refusal(...args) !== undefined).map(args => args.join(' '));
  for (const args of COMMAND_LINES)
    if (playwrightAcceptsProjects(plans, playwrightProjectArgs(args)))
      expect(refusal(...args), args.join(' ')).toBeUndefined();
  // What no catalogue project is near (nope, nothing-*) is left to Playwright: it may be a project
  // playwright.config.ts adds beside the catalogue's.
  expect(refused).toEqual([
    '--project=local-browsr',
    '--project local-api lokal-browser',
    '--project=local-api,local-browser',
    '--project=local',
    '--project=local-unit',
    '--project=Demo-Manual',
  ]);
});

test('a misspelt project: the nearest name, then every project once, by environment', () => {
  expect(refusal('--project=local-browsr')).toBe(
    [
      'no project "local-browsr" in this catalogue: did you mean "local-browser"?',
      '  projects by environment:',
      '    demo: demo-sign-in, demo-remote (run only when named)',
      '    local: local-sign-in, local-api, local-browser',
      '    parity: parity-sign-in, parity-api, parity-browser, parity-parity (run only when named)',
      '    prod: prod-sign-in, prod-remote (run only when named)',
      '    staging: staging-sign-in, staging-remote (run only when named)',
      "  hint: give --project one of these, in any case, or a pattern with * (--project='local-*'); " +
        'an environment in environments/ has a project <environment>-<layer> per layer its packs run',
    ].join('\n'),
  );
});

test('several unknown values, an environment named alone, a comma list; names near none are left to Playwright', () => {
  expect(refusal('--project', 'lokal-api', 'qqq')?.split('\n')[0]).toBe(
    'no project "lokal-api" or "qqq" in this catalogue: did you mean "local-api" for "lokal-api"?',
  );
  expect(refusal('--project=demo')?.split('\n')[0]).toBe('no project "demo" in this catalogue: did you mean "demo-*"?');
  expect(refusal('--project=local-api,Local-Browser')?.split('\n')[0]).toBe(
    'no project "local-api,Local-Browser" in this catalogue: did you mean --project local-api Local-Browser?',
  );
  expect(refusal('--project', 'nothing-*', 'none-*'), 'left to Playwright').toBeUndefined();
  expect(refusal('--project', 'my-own-project'), 'left to Playwright').toBeUndefined();
});

test("an environment's layer it has no project of says why, where the nearest name would be another layer", () => {
  // Playwright's own refusal of these exits 1, as a BLOCKED gate does, naming every layer twice.
  expect(refusal('--project=local-unit')?.split('\n')[0]).toBe(
    'no project "local-unit" in this catalogue: local does not run the unit layer (layers in environments/local.yaml: api, browser)',
  );
  expect(refusal('--project=DEMO-api')?.split('\n')[0]).toBe(
    'no project "DEMO-api" in this catalogue: demo does not run the api layer (layers in environments/demo.yaml: remote)',
  );
  expect(refusal('--project=demo-manual')?.split('\n')[0]).toBe(
    'no project "demo-manual" in this catalogue: the manual layer has no project: a gate reads the verdicts people ' +
      'recorded of its checks (`npx packgate manual run|record`) and judges them beside the tests',
  );
  expect(refusal('--project', 'parity-remote', 'lokal-api')?.split('\n')[0]).toBe(
    'no project "parity-remote" or "lokal-api" in this catalogue: did you mean "local-api" for "lokal-api"?; ' +
      '"parity-remote": parity does not run the remote layer (layers in environments/parity.yaml: api, browser, parity)',
  );
  // A layer the environment lists, with no pack of it there: said so, not offered another layer.
  const local = catalogue.environments.get('local')!;
  const listed = {
    ...catalogue,
    environments: new Map([
      ['local', { ...local, value: { ...local.value, layers: [...local.value.layers, 'unit' as const] } }],
    ]),
  };
  expect(() =>
    checkProjectFilter(projectSelection(readCommandLine(argv('--project=local-unit'))).patterns, plans, listed),
  ).toThrow(
    'no project "local-unit" in this catalogue: local lists the unit layer, but no pack it runs declares it, so it has no project',
  );
});

test("a pattern naming an environment that runs no pack says why, where Playwright's own refusal is a stack trace", () => {
  // demo with every pack it would run excluded: it has no project, so --project='demo-*' matches nothing.
  const demo = catalogue.environments.get('demo')!;
  const exclude = [...catalogue.packs.keys()].map(pack => ({ pack, reason: 'not here' }));
  const emptied = {
    ...catalogue,
    environments: new Map([
      ...catalogue.environments,
      ['demo', { ...demo, value: { ...demo.value, packs: { include: [], exclude } } }],
    ]),
  };
  const emptiedPlans = planProjects(emptied);
  const refused = (...args: string[]) => {
    const values = projectSelection(readCommandLine(argv(...args))).patterns;
    try {
      checkProjectFilter(values, emptiedPlans, emptied);
    } catch (error) {
      if (!(error instanceof PackgateError)) throw error;
      expect(playwrightAcceptsProjects(emptiedPlans, playwrightProjectArgs(args)), 'Playwright refuses it too').toBe(
        false,
      );
      return error.message.split('\n')[0];
    }
    return undefined;
  };
  expect(refused('--project=demo-*')).toBe(
    'no project matches "demo-*" in this catalogue: demo runs no pack, so it has no project ' +
      `(packs.exclude in environments/demo.yaml leaves out each of the ${exclude.length} packs stage demo runs)`,
  );
  expect(refused('--project=DEMO*')).toBe(refused('--project=demo-*')?.replace('"demo-*"', '"DEMO*"'));
  expect(refused('--project=lokal-*')).toBe('no project matches "lokal-*" in this catalogue: did you mean "local-*"?');
  // Another value that matches is a run Playwright starts: left alone.
  expect(refused('--project', 'demo-*', 'local-api')).toBeUndefined();
  expect(refused('--project=nothing-*'), 'near no environment: left to Playwright').toBeUndefined();
});
