import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * The baseline of `bench/list.ts`: bare Playwright listing the same pack specs packgate's config
 * lists (one project per layer, the same files), without the catalogue, run plan or reporters.
 */
const packs = path.join(import.meta.dirname, '../../packs');

export default defineConfig({
  testDir: packs,
  reporter: 'list',
  projects: ['api', 'browser', 'remote'].map(layer => ({ name: `bare-${layer}`, testMatch: `**/${layer}.spec.ts` })),
});
