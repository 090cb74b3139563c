import fs from 'node:fs';
import pg from 'pg';
import { sha256 } from '../../../src/store/blobs.ts';
import { expect, forEachAdapter, test } from '../fixtures.ts';
import { gateRun, readyTask } from './helpers.ts';

forEachAdapter(adapter => {
  test('evidence is stored once per content, under its SHA-256', async ({ openTestStore }) => {
    const store = await openTestStore();
    const trace = Buffer.from('a trace, redacted');
    const first = await store.blobs.put(trace);
    const again = await store.blobs.put(Buffer.from('a trace, redacted'));
    expect(first).toEqual({ digest: sha256(trace), size: trace.length });
    expect(again).toEqual(first);
    expect(await store.blobs.get(first.digest)).toEqual(trace);
    expect(await store.blobs.verify(first.digest)).toEqual({ status: 'ok' });
    expect(await store.blobs.verify('f'.repeat(64))).toEqual({ status: 'missing' });
  });

  test('a changed byte in stored evidence is detected', async ({ openTestStore, storeLocation }) => {
    const store = await openTestStore();
    const { digest } = await store.blobs.put(Buffer.from('{"status":"PASS"}'));
    if (storeLocation.kind === 'sqlite') {
      const file = store.blobs.locate(digest);
      fs.chmodSync(file, 0o644);
      fs.writeFileSync(file, '{"status":"FAIL"}');
    } else {
      const client = new pg.Client({ connectionString: storeLocation.url });
      await client.connect();
      await client.query(`UPDATE blobs SET content = convert_to('{"status":"FAIL"}', 'UTF8') WHERE digest = $1`, [
        digest,
      ]);
      await client.end();
    }
    expect(await store.blobs.verify(digest)).toEqual({ status: 'mismatch', actual: sha256('{"status":"FAIL"}') });
  });

  test('a gate run is recorded on a task with its packs and evidence digests', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    const verdict = await store.blobs.put(Buffer.from('{}'));
    const evidence = await store.blobs.put(Buffer.from('{"pack":"pack-a"}'));
    const { run } = await store.recordGateRun(
      gateRun({
        taskId: 'T-1',
        verdictDigest: verdict.digest,
        evidence: [
          { path: 'verdict.json', pack: null, ...verdict },
          { path: 'evidence/pack-a/evidence.json', pack: 'pack-a', ...evidence },
        ],
        problems: [{ severity: 'warning', message: 'a warning' }],
      }),
    );
    expect(run).toMatchObject({
      taskId: 'T-1',
      environment: 'local',
      verdict: 'PASS',
      gitCommit: 'abc123',
      gitDirty: false,
      projects: ['local-api'],
      problems: [{ severity: 'warning', message: 'a warning' }],
      packs: [{ pack: 'pack-a', status: 'PASS', policy: 'blocking', blocks: false }],
    });
    expect(run.evidence.map(e => [e.path, e.pack, e.digest])).toEqual([
      ['evidence/pack-a/evidence.json', 'pack-a', evidence.digest],
      ['verdict.json', null, verdict.digest],
    ]);
    expect((await store.gateRuns({ taskId: 'T-1' })).map(r => r.id)).toEqual([run.id]);
  });

  test('files a run published after it was recorded are added to it; a path it has keeps its first copy', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    const summary = await store.blobs.put(Buffer.from('# summary\n'));
    const { run } = await store.recordGateRun(gateRun({ evidence: [{ path: 'summary.md', pack: null, ...summary }] }));
    const attestation = await store.blobs.put(Buffer.from('{"payload":"..."}'));
    const junit = await store.blobs.put(Buffer.from('<testsuites/>'));
    const changed = await store.blobs.put(Buffer.from('# changed since\n'));
    const added = await store.addGateRunFiles(run.id, [
      { path: 'attestation.intoto.json', pack: null, ...attestation },
      { path: 'junit.xml', pack: null, ...junit },
      { path: 'summary.md', pack: null, ...changed },
    ]);
    expect(added.evidence.map(e => [e.path, e.digest])).toEqual([
      ['attestation.intoto.json', attestation.digest],
      ['junit.xml', junit.digest],
      ['summary.md', summary.digest],
    ]);
    expect((await store.gateRuns())[0].evidence).toEqual(added.evidence);

    await expect(store.addGateRunFiles(run.id + 1, [])).rejects.toMatchObject({ code: 'GATE_RUN_UNKNOWN' });
    const absent = { path: 'late.xml', pack: null, digest: sha256('never stored'), size: 12 };
    await expect(store.addGateRunFiles(run.id, [absent])).rejects.toMatchObject({ code: 'EVIDENCE_INVALID' });
    expect((await store.gateRuns())[0].evidence).toHaveLength(3);
  });

  test('a release-gate run has no task and is found by environment, newest first', async ({ openTestStore }) => {
    const store = await openTestStore();
    const { run: first } = await store.recordGateRun(
      gateRun({ environment: 'demo', stage: 'demo', verdict: 'BLOCKED' }),
    );
    const { run: second } = await store.recordGateRun(gateRun({ environment: 'demo', stage: 'demo' }));
    await store.recordGateRun(gateRun({ environment: 'local' }));
    const runs = await store.gateRuns({ environment: 'demo' });
    expect(runs.map(r => [r.id, r.taskId, r.verdict])).toEqual([
      [second.id, null, 'PASS'],
      [first.id, null, 'BLOCKED'],
    ]);
  });

  test('a run pointing at evidence the store does not hold is refused', async ({ openTestStore }) => {
    const store = await openTestStore();
    await expect(
      store.recordGateRun(
        gateRun({ evidence: [{ path: 'verdict.json', pack: null, digest: 'a'.repeat(64), size: 2 }] }),
      ),
    ).rejects.toMatchObject({ code: 'EVIDENCE_INVALID' });
    expect(await store.stats()).toMatchObject({ gateRuns: 0, evidence: 0 });
  });

  test('a run on an unknown task is refused and nothing is written', async ({ openTestStore }) => {
    const store = await openTestStore();
    await expect(store.recordGateRun(gateRun({ taskId: 'GHOST' }))).rejects.toMatchObject({ code: 'TASK_UNKNOWN' });
    expect(await store.stats()).toMatchObject({ gateRuns: 0 });
  });

  test(`evidence lives ${adapter === 'sqlite' ? 'in files beside the database' : 'in the database'}`, async ({
    openTestStore,
    storeLocation,
  }) => {
    const store = await openTestStore();
    const { digest } = await store.blobs.put(Buffer.from('x'));
    if (storeLocation.kind === 'sqlite')
      expect(store.blobs.locate(digest)).toBe(
        `${storeLocation.path.replace(/queue\.db$/, '')}evidence/sha256/${digest.slice(0, 2)}/${digest}`,
      );
    else expect(store.blobs.locate(digest)).toBe(`sha256:${digest}`);
  });
});

forEachAdapter(() => {
  test('gate runs list at most the limit, newest first, over every environment', async ({ openTestStore }) => {
    const store = await openTestStore();
    const ids = [];
    for (const environment of ['local', 'demo', 'local'])
      ids.push((await store.recordGateRun(gateRun({ environment }))).run.id);
    expect((await store.gateRuns({ limit: 2 })).map(r => r.id)).toEqual([ids[2], ids[1]]);
    expect((await store.gateRuns({ environment: 'local', limit: 1 })).map(r => r.id)).toEqual([ids[2]]);
    // The run recorded from an output folder, found by the folder's subject digest (a report built later joins it).
    const [middle] = await store.gateRuns({ environment: 'demo' });
    expect((await store.gateRuns({ subjectDigest: middle.subjectDigest! })).map(r => r.id)).toEqual([ids[1]]);
    expect(await store.gateRuns({ subjectDigest: 'f'.repeat(64) })).toEqual([]);
  });

  test('one run is one record: its subject digest recorded again, even by two writers at once, gives the record back', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    const other = await openTestStore();
    await readyTask(store, 'T-1');
    const run = gateRun({ taskId: 'T-1' });
    const [a, b] = await Promise.all([store.recordGateRun(run), other.recordGateRun(run)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.run).toEqual(b.run);
    const again = await store.recordGateRun({ ...run, taskId: null, recordedBy: 'someone else' });
    expect(again).toEqual({ run: a.run, created: false });
    expect(await store.stats()).toMatchObject({ gateRuns: 1 });
    expect(await store.gateRuns({ taskId: 'T-1' })).toEqual([a.run]);
  });

  test('a run recorded again on another task is refused, the store unchanged', async ({ openTestStore }) => {
    const store = await openTestStore();
    await readyTask(store, 'T-1');
    await readyTask(store, 'T-2');
    const run = gateRun();
    const { run: recorded } = await store.recordGateRun(run);
    const before = await store.stats();
    await expect(store.recordGateRun({ ...run, taskId: 'T-2' })).rejects.toThrow(
      `this gate run is recorded already, as gate run #${recorded.id} (a release-gate run of local), not on task T-2`,
    );
    expect(await store.stats()).toEqual(before);
    expect(await store.gateRuns()).toEqual([recorded]);
  });

  test("secrets never stored: a gate run's command, reasons and problems are redacted on the way in", async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    const { run } = await store.recordGateRun(
      gateRun({
        command: 'npx playwright test --header "Authorization: Bearer abc.def.ghi"',
        packs: [
          {
            pack: 'pack-a',
            status: 'FAIL',
            policy: 'blocking',
            blocks: true,
            reason: 'callback http://app/cb?code=s3cr3tc0de',
          },
        ],
        problems: [{ severity: 'warning', message: 'set-cookie: session=abcdef123456' }],
      }),
    );
    const [stored] = await store.gateRuns();
    expect(stored).toEqual(run);
    expect(stored.command).toBe('npx playwright test --header "Authorization: Bearer [REDACTED]"');
    expect(stored.packs[0].reason).toBe('callback http://app/cb?code=[REDACTED]');
    expect(stored.problems[0].message).toBe('set-cookie: [REDACTED]');
  });
});
