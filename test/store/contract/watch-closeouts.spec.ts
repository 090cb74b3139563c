import type { NewWatchCloseout } from '../../../src/store/watch-closeout-schema.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { readyTask } from './helpers.ts';

function closeout(overrides: Partial<NewWatchCloseout> = {}): NewWatchCloseout {
  return {
    taskId: 'W-1',
    run: 'run-1',
    watcher: 'W-DEPLOY',
    session: 's1',
    source: 'run',
    status: 'failure',
    class: 'auth',
    lines: ['POST /token: 401 Unauthorized', 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789'],
    exitCode: 1,
    signal: null,
    durationMs: 1234.4,
    command: 'deploy --env demo',
    logDigest: null,
    logPath: '.packgate/watch-logs/run-1.log',
    verdictDigest: null,
    verdict: null,
    blockingPacks: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'watcher-1',
    ...overrides,
  };
}

forEachAdapter(() => {
  test('a closeout is recorded with its watch event in one transaction, redacted, listed by task and watcher', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await readyTask(store, 'W-1', 'lane-a', 'watch');
    await readyTask(store, 'W-2', 'lane-a', 'watch');
    const { digest } = await store.blobs.put(Buffer.from('the log\n'));
    const first = await store.closeWatch(closeout({ logDigest: digest }));
    expect(first).toMatchObject({
      id: expect.any(Number),
      durationMs: 1234,
      logDigest: digest,
      createdAt: expect.any(String),
    });
    expect(first.lines[1]).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
    const second = await store.closeWatch(closeout({ run: 'run-2', status: 'success', class: null, lines: [] }));
    const other = await store.closeWatch(closeout({ taskId: 'W-2', run: 'run-3', watcher: 'W-OTHER' }));

    expect(await store.watchCloseouts({ taskId: 'W-1' })).toEqual([first, second]);
    expect(await store.watchCloseouts({ watcher: 'W-OTHER' })).toEqual([other]);
    expect(await store.watchCloseouts()).toHaveLength(3);
    expect((await store.events('W-1', 'watch')).map(e => e.body)).toEqual([
      { phase: 'closed', run: 'run-1', closeout: first.id, status: 'failure', class: 'auth' },
      { phase: 'closed', run: 'run-2', closeout: second.id, status: 'success', class: null },
    ]);
    expect(await store.stats()).toMatchObject({ watchCloseouts: 3 });
  });

  test('a run closed out twice, evidence not in the store or an unknown task: refused, nothing written', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await readyTask(store, 'W-1', 'lane-a', 'watch');
    await store.closeWatch(closeout());
    const before = await store.stats();
    await expect(store.closeWatch(closeout())).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.closeWatch(closeout({ run: 'run-2', logDigest: 'f'.repeat(64) }))).rejects.toMatchObject({
      code: 'EVIDENCE_INVALID',
    });
    await expect(store.closeWatch(closeout({ run: 'run-3', taskId: 'NOPE' }))).rejects.toMatchObject({
      code: 'TASK_UNKNOWN',
    });
    expect(await store.stats()).toEqual(before);
  });
});
