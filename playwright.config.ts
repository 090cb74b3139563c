import { defineConfig } from '@playwright/test';
import { gateSetup } from './src/playwright/gate-setup.ts';

/**
 * Projects come from the catalogue: one per environment and layer (`local-api`, `local-browser`,
 * `demo-remote`, ...). `npx playwright test` runs the embedded environments; deployed ones run only
 * when named: `npx playwright test --project=demo-remote`.
 */
const gate = await gateSetup(import.meta.dirname);

export default defineConfig({
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['./reporters/gate-reporter.ts']],
  projects: gate.projects,
  webServer: gate.webServers,
});
