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
  // A failed test is retried at the end of the run, alone: a retry undisturbed by the rest of the
  // run tells flaky from broken, and a failure costs no worker restart in the middle of the run.
  retryStrategy: 'isolated',
  workers: 2,
  forbidOnly: !!process.env.CI,
  // The printing reporter, then the gate's (verdict, evidence, redaction); a shard adds a blob report.
  reporter: gate.reporters,
  projects: gate.projects,
  webServer: gate.webServers,
  globalSetup: gate.globalSetup,
  // What the run runs under (faults, plain HTTP allowed): a merge of shards judges what they ran under.
  metadata: gate.metadata,
});
