import { z } from 'zod';
import type { EvidenceRef } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';

/**
 * What the run page shows of a pack's tests, read from the gate's own per-pack record
 * (`evidence/<pack>/evidence.json`, as the run stored it): only these fields, loosely, so an older
 * or newer record still shows; the rest is the gate's business.
 */
const packTestsSchema = z.object({
  tests: z.array(
    z.object({
      title: z.string(),
      project: z.string(),
      /** Playwright's: expected, unexpected, flaky (passed on a retry), skipped. */
      outcome: z.string(),
      lastStatus: z.string().optional(),
      errors: z.array(z.string()).default([]),
      /** What test.skip()/test.fixme() said, for a test skipped by its own call. */
      skipReason: z.string().optional(),
      /** Why a test that never started did not run, where the gate knows (its sign-in setup failed). */
      notRunBecause: z.string().optional(),
      correlationIds: z.array(z.string()).default([]),
    }),
  ),
});
export type PackTest = z.infer<typeof packTestsSchema>['tests'][number];

/** The tests of a pack in a stored run, or none when its evidence.json is absent or unreadable. */
export async function packTests(
  store: QueueStore,
  evidence: readonly EvidenceRef[],
  pack: string,
): Promise<PackTest[]> {
  const ref = evidence.find(e => e.pack === pack && /^evidence\/[^/]+\/evidence\.json$/.test(e.path));
  const content = ref && (await store.blobs.get(ref.digest));
  if (!content) return [];
  try {
    const parsed = packTestsSchema.safeParse(JSON.parse(content.toString('utf8')));
    return parsed.success ? parsed.data.tests : [];
  } catch {
    return [];
  }
}
