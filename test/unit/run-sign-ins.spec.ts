import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { planProjects } from '../../src/catalogue/project-plan.ts';
import { fileFilters, narrowSignIns } from '../../src/playwright/run-sign-ins.ts';
import { projectSelection } from '../../src/playwright/selection.ts';
import { readCommandLine } from '../../src/run/command-line.ts';
import { REPO } from '../helpers/temp-project.ts';

const catalogue = loadCatalogueOrThrow(REPO);

/** Whom the local sign-in setup signs in as for a `playwright test` command line. */
function localPersonas(...args: string[]): string[] {
  const commandLine = readCommandLine(['node', 'playwright', 'test', ...args]);
  const plans = narrowSignIns(catalogue, planProjects(catalogue), projectSelection(commandLine), commandLine);
  const setup = plans.find(p => p.kind === 'sign-in' && p.name === 'local-sign-in');
  return setup?.kind === 'sign-in' ? setup.metadata.personas : [];
}

test('a full local run signs in every identity and persona its packs name', () => {
  expect(localPersonas()).toEqual(['ada', 'grace']);
});

test("a run of one pack signs in only that pack's identity and personas", () => {
  expect(localPersonas('packs/auth-session/')).toEqual(['ada']);
  expect(localPersonas('packs/v3-shell/api.spec.ts:12')).toEqual(['ada', 'grace']);
  expect(localPersonas('--project=local-browser', 'packs/auth-session/')).toEqual(['ada']);
});

test('the projects and files selected count, pack by pack', () => {
  // The pack names its personas, not each spec: a browser run of v3-shell signs grace in too.
  expect(localPersonas('--project', 'local-browser', '--workers', '2', 'v3-shell')).toEqual(['ada', 'grace']);
  expect(localPersonas('--project=local-api', '--grep', 'v3-shell', 'packs/demo-deploy/')).toEqual([]);
});

test('option values are not file filters, and /re/ filters are regular expressions', () => {
  const filters = (...args: string[]) => fileFilters(readCommandLine(['node', 'pw', 'test', ...args])).map(String);
  expect(filters('-g', 'auth', '--workers', '2', '-x')).toEqual([]);
  // -G takes a value, --only-changed one that is not an option, and what follows `--` is no filter.
  expect(filters('-G', 'auth', '--only-changed', 'main', 'packs/terminal/', '--', 'packs/v3-shell/')).toEqual([
    '/packs\\/terminal\\//i',
  ]);
  expect(filters('packs/terminal/', '/node-inv.*/i')).toEqual(['/packs\\/terminal\\//i', '/node-inv.*/i']);
});

test('a setup named on the command line signs in everyone, as Playwright runs it whole', () => {
  expect(localPersonas('--project=local-sign-in', 'packs/auth-session/')).toEqual(['ada', 'grace']);
});
