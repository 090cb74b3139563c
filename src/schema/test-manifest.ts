import { z } from 'zod';
import { layerSchema } from './common.ts';

/** Beside pack.yaml: every test the pack has, per layer. */
export const TEST_MANIFEST_FILE = 'tests.yaml';

/**
 * `packs/<id>/tests.yaml`: the tests of a pack by layer, each by its title path (`describe › title`).
 * Written by `npx packgate tests --update` from Playwright's own listing and committed with the specs,
 * so a gate knows what a complete run of the pack is even when a filter or a shard ran only part of it.
 */
export const testManifestSchema = z.partialRecord(
  layerSchema,
  z
    .array(z.string().min(1))
    .refine(titles => new Set(titles).size === titles.length, { error: 'lists a test title twice' }),
);
export type TestManifest = z.infer<typeof testManifestSchema>;
