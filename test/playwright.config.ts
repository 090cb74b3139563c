import { defineConfig } from '@playwright/test';

/**
 * packgate's own tests. `unit` is pure and parallel; `cli` runs the packgate CLI in temp copies.
 * `store` holds the queue store to its contract on both adapters. `stack` starts the reference stack and
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
    // The queue store's contract on SQLite and on a throwaway PostgreSQL server per worker, and its
    // load, claim-race and kill -9 tests (each spawning its own writer processes).
    { name: 'store', testMatch: 'store/**/*.spec.ts', fullyParallel: true },
    { name: 'stack', testMatch: 'stack/**/*.spec.ts', workers: 1 },
    { name: 'gate', testMatch: 'gate/**/*.spec.ts', workers: 1, timeout: 180_000 },
  ],
});
