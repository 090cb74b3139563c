import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * The baseline of `bench/list.ts`: bare Playwright listing the same spec files packgate's config
 * lists by default, project by project (BENCH_LIST_PROJECTS, decided by bench/list.ts), without the
 * catalogue, run plan or reporters.
 */
const projects = JSON.parse(process.env.BENCH_LIST_PROJECTS ?? '{}') as Record<string, string[]>;

export default defineConfig({
  // The packs' folder, as packgate's projects have it: the whole project would also walk bench/out's
  // copies of it (this baseline once took 7.8 s for that, and flattered packgate's ratio).
  testDir: path.join(import.meta.dirname, '../../packs'),
  reporter: 'list',
  projects: Object.entries(projects).map(([name, files]) => ({ name, testMatch: files })),
});
