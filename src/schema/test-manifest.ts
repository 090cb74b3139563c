import { z } from 'zod';
import { specFileSchema } from './common.ts';

/** Beside pack.yaml: every test the pack has, per spec. */
export const TEST_MANIFEST_FILE = 'tests.yaml';

/**
 * `packs/<id>/tests.yaml`: the tests of each of a pack's specs, by title path (`describe › title`).
 * Written by `npx packgate tests --update` from Playwright's own listing and committed with the specs,
 * so a gate knows what a complete run of the pack is even when a filter or a shard ran only part of it.
 *
 * Keyed by spec, not by layer: a journey that runs at several layers is listed once, and a layer's
 * complete run is the tests of the specs pack.yaml sends to it. It stays a committed file rather than
 * something the gate derives from the run, because a run only knows the tests it selected, and because
 * its diff is the point: a test deleted from a spec shows in review as a title deleted here.
 */
export const testManifestSchema = z.record(
  specFileSchema,
  z
    .array(z.string().min(1))
    .refine(titles => new Set(titles).size === titles.length, { error: 'lists a test title twice' }),
);
export type TestManifest = z.infer<typeof testManifestSchema>;
