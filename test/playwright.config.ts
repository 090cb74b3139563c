import { defineConfig } from '@playwright/test';

/**
 * packgate's own tests. `unit` is pure and parallel; `cli` runs the packgate CLI in temp copies. `stack` starts the reference stack and
 * talks HTTP to it. `gate` runs real `playwright test` gate runs in temp copies of the project
 * (each spawning its own stack and browser), so it runs one at a time on a 2-core machine.
 */
export default defineConfig({
  testDir: '.',
  outputDir: '../test-results/self',
  timeout: 60_000,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  projects: [
    { name: 'unit', testMatch: 'unit/**/*.spec.ts', fullyParallel: true },
    { name: 'cli', testMatch: 'cli/**/*.spec.ts', fullyParallel: true },
    { name: 'stack', testMatch: 'stack/**/*.spec.ts', workers: 1 },
    { name: 'gate', testMatch: 'gate/**/*.spec.ts', workers: 1, timeout: 180_000 },
  ],
});
