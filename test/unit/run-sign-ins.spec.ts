import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { planProjects } from '../../src/catalogue/project-plan.ts';
import { fileFilters, narrowSignIns } from '../../src/playwright/run-sign-ins.ts';
import { projectSelection } from '../../src/playwright/selection.ts';
import { REPO } from '../helpers/temp-project.ts';

const catalogue = loadCatalogueOrThrow(REPO);

/** Whom the local sign-in setup signs in as for a `playwright test` command line. */
function localPersonas(...args: string[]): string[] {
  const argv = ['node', 'playwright', 'test', ...args];
  const plans = narrowSignIns(catalogue, planProjects(catalogue), projectSelection(argv), argv);
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
  expect(fileFilters(['node', 'pw', 'test', '-g', 'auth', '--workers', '2', '-x']).map(String)).toEqual([]);
  expect(fileFilters(['node', 'pw', 'test', 'packs/terminal/', '/node-inv.*/i']).map(String)).toEqual([
    '/packs\\/terminal\\//i',
    '/node-inv.*/i',
  ]);
});

test('a setup named on the command line signs in everyone, as Playwright runs it whole', () => {
  expect(localPersonas('--project=local-sign-in', 'packs/auth-session/')).toEqual(['ada', 'grace']);
});
