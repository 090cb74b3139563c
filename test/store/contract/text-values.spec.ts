import { expect, forEachAdapter, test } from '../fixtures.ts';
import type { QueueStore } from '../../../src/store/queue-store.ts';
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

  // Before: PostgreSQL's queue page failed for every task, "unsupported Unicode escape sequence (SQLSTATE
  // 22P05)", once one packet held a NUL (JSON's \u0000): its pack and environment were read through jsonb.
  test("a packet holding a NUL is kept as written, and the dashboard reads every task's pack", async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    const goals = { 'T-1': 'a goal', 'T-2': 'the body was "a\u0000b"' };
    await tasksWithGoals(store, goals);
    expect((await store.requireTask('T-2')).packet).toMatchObject({ goal: goals['T-2'] });
    const page = await store.dashboard.tasks({});
    expect(page.tasks.map(t => [t.id, t.pack, t.environment])).toEqual([
      ['T-1', 'pack-a', 'local'],
      ['T-2', 'pack-a', 'local'],
    ]);
    expect((await store.dashboard.tasks({ pack: 'pack-a', environment: 'local' })).total).toBe(2);
    expect(await store.dashboard.filterValues('tasks')).toMatchObject({ pack: ['pack-a'], environment: ['local'] });
  });

  // Before: PostgreSQL's queue page failed for every task, "Unicode low surrogate must follow a high
  // surrogate", once one packet held half a pair: JSON writes it as the escape \ud83d, which jsonb refuses.
  test('a packet holding a lone surrogate reads back as U+FFFD, and the dashboard reads every task', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    const goals = { 'T-1': 'a goal', 'T-2': 'half a pair \uD83D then the rest' };
    await tasksWithGoals(store, goals);
    expect((await store.requireTask('T-2')).packet).toMatchObject({ goal: 'half a pair \uFFFD then the rest' });
    const page = await store.dashboard.tasks({});
    expect(page.tasks.map(t => [t.id, t.pack, t.environment])).toEqual([
      ['T-1', 'pack-a', 'local'],
      ['T-2', 'pack-a', 'local'],
    ]);
  });
});

/** Ready tasks of pack-a in environment local, each with its packet's goal as given. */
async function tasksWithGoals(store: QueueStore, goals: Record<string, string>): Promise<void> {
  for (const [id, goal] of Object.entries(goals))
    await store.createTask(
      {
        id,
        title: id,
        state: 'ready',
        kind: 'feature',
        ownerLane: 'lane-a',
        trackId: null,
        packet: { task_id: id, goal, workflow_regression_pack: 'pack-a', environment: { name: 'local' } },
        packetDigest: `digest-of-${id}`,
      },
      'tester',
    );
}
