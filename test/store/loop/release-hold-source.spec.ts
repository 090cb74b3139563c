import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { storeHoldSource } from '../../../src/loop/release-hold-source.ts';
import { openStore } from '../../../src/store/open.ts';
import { readyTask } from '../contract/helpers.ts';

/** The queue side of the release holds: the project's configured store, read once, through the gate's interface. */
const query = { environment: 'demo', stage: 'demo' as const, packs: ['auth-session', 'v3-shell'] };

function projectRoot(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'packgate.yaml'), 'name: demo\nstore: { path: .packgate/queue.db }\n');
  return dir;
}

test('a configured SQLite store whose file does not exist yet is an empty queue, and reading it creates nothing', async ({}, testInfo) => {
  const root = projectRoot(testInfo.outputPath('project'));
  const read = await storeHoldSource(root, {}).read(query);
  expect(read).toEqual({
    store: path.join(root, '.packgate/queue.db'),
    readAt: expect.any(String),
    holds: [],
    note: 'the store file does not exist yet: an empty queue',
  });
  expect(fs.existsSync(path.join(root, '.packgate'))).toBe(false);
});

test('the active holds on the packs asked for, with their tasks; others are left out', async ({}, testInfo) => {
  const root = projectRoot(testInfo.outputPath('project'));
  const store = await openStore({ kind: 'sqlite', path: path.join(root, '.packgate/queue.db') });
  try {
    for (const [id, pack] of [
      ['BUG-1', 'auth-session'],
      ['BUG-2', 'terminal'],
      ['BUG-3', 'v3-shell'],
    ]) {
      await readyTask(store, id, 'C-ops', 'bugfix');
      await store.openReleaseHold({ taskId: id, pack, reason: `an open bug fix of ${pack}`, createdBy: 'tester' });
    }
    await store.clearReleaseHolds('BUG-3', { as: 'coverage', actor: 'reviewer', reason: 'accepted' });
  } finally {
    await store.close();
  }
  const read = await storeHoldSource(root, {}).read(query);
  expect(read).toEqual({
    store: path.join(root, '.packgate/queue.db'),
    readAt: expect.any(String),
    holds: [
      {
        taskId: 'BUG-1',
        title: 'goal of BUG-1',
        kind: 'bugfix',
        state: 'ready',
        pack: 'auth-session',
        why: 'an open bug fix of auth-session',
        since: expect.any(String),
        ownerLane: 'C-ops',
      },
    ],
  });
});

test('a corrupt SQLite file is a store that could not be read, named', async ({}, testInfo) => {
  const root = projectRoot(testInfo.outputPath('project'));
  fs.mkdirSync(path.join(root, '.packgate'));
  fs.writeFileSync(path.join(root, '.packgate/queue.db'), 'this is not a database, it is a text file '.repeat(200));
  const read = await storeHoldSource(root, {}).read(query);
  expect(read).toEqual({
    store: path.join(root, '.packgate/queue.db'),
    reason: expect.stringMatching(/^the queue store .*queue\.db could not be read: /),
  });
});

test('a PostgreSQL URL that refuses is a store that could not be read, its password masked', async ({}, testInfo) => {
  const root = projectRoot(testInfo.outputPath('project'));
  const read = await storeHoldSource(root, { PACKGATE_STORE_URL: 'postgresql://agent:s3cret@127.0.0.1:1/queue' }).read(
    query,
  );
  expect(read).toEqual({
    store: 'postgresql://agent:***@127.0.0.1:1/queue',
    reason: expect.stringContaining('could not be read'),
  });
  expect(JSON.stringify(read)).not.toContain('s3cret');
});

test("the gate's own validated packgate.yaml is where the store is found: the file is not read again", async ({}, testInfo) => {
  const root = testInfo.outputPath('project');
  fs.mkdirSync(root, { recursive: true });
  // No packgate.yaml on disk: only the manifest the gate hands over says where the store is.
  const manifest = { store: { path: 'elsewhere/queue.db' } } as Parameters<typeof storeHoldSource>[2];
  const read = await storeHoldSource(root, {}, manifest).read(query);
  expect(read).toMatchObject({ store: path.join(root, 'elsewhere/queue.db'), holds: [] });
  // Without it, the file is read, and its absence is the reason.
  expect(await storeHoldSource(root, {}).read(query)).toMatchObject({
    store: null,
    reason: expect.stringContaining('packgate.yaml'),
  });
});
