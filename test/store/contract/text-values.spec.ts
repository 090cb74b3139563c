import { expect, forEachAdapter, test } from '../fixtures.ts';
import { gateRun, readyTask } from './helpers.ts';

forEachAdapter(() => {
  // Before: PostgreSQL refused a NUL ("invalid byte sequence for encoding UTF8: 0x00", STORE_FAILED, the
  // whole run unrecorded) that SQLite kept; a lone surrogate came back as one U+FFFD from one, three from the other.
  test('text is read back as written, the same from both databases; what neither can keep is U+FFFD', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    const long = 'ü🚀'.repeat(300_000);
    const reasons = {
      'pack-emoji': 'expected 🚀 and "quotes", \\ back slash, tab\there, ∑ 中文',
      'pack-nul': 'the body was "a\u0000b": failed',
      'pack-surrogate': 'half a pair \uD83D then the rest',
      'pack-long': long,
    };
    const { run } = await store.recordGateRun(
      gateRun({
        taskId: 'T-1',
        verdict: 'BLOCKED',
        packs: Object.entries(reasons).map(([pack, reason]) => ({
          pack,
          status: 'FAIL' as const,
          policy: 'blocking' as const,
          blocks: true,
          reason,
        })),
      }),
    );
    const [read] = await store.gateRuns({ id: run.id });
    expect(Object.fromEntries(read.packs.map(p => [p.pack, p.reason]))).toEqual({
      'pack-emoji': reasons['pack-emoji'],
      'pack-nul': 'the body was "a\uFFFDb": failed',
      'pack-surrogate': 'half a pair \uFFFD then the rest',
      'pack-long': long,
    });
  });
});
