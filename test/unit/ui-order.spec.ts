import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { planProjects } from '../../src/catalogue/project-plan.ts';
import { testServerOrder } from '../../src/playwright/ui-order.ts';
import { REPO } from '../helpers/temp-project.ts';

const catalogue = loadCatalogueOrThrow(REPO);

test('UI mode lists the default environment first, a pack project before its sign-in setup', () => {
  const planned = planProjects(catalogue);
  // The catalogue's order starts with a deployed environment's setup: what UI mode opened on.
  expect(planned[0].name).toBe('demo-sign-in');
  const names = [...new Set(testServerOrder(planned).map(p => p.name))];
  expect(names.slice(0, 3)).toEqual(['local-api', 'local-browser', 'local-sign-in']);
  expect(names.indexOf('demo-remote')).toBeGreaterThan(names.indexOf('local-sign-in'));
  // Every project is still there, each once: only the order changes.
  expect(
    testServerOrder(planned)
      .map(p => p.name)
      .sort(),
  ).toEqual(planned.map(p => p.name).sort());
});
