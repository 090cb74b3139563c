import { expect, forEachAdapter, test } from '../fixtures.ts';

const base = {
  pack: 'console',
  environment: 'staging',
  check: 'looks-right',
  note: null,
  lane: 'C-ops',
  source: 'record' as const,
  evidence: [],
  recordedBy: 'alice',
};

forEachAdapter(() => {
  test('the latest verdict per pack and check of an environment is read back, with who, when, evidence and expiry', async ({
    openTestStore,
  }) => {
    let now = new Date('2026-12-05T12:00:00Z');
    const store = await openTestStore({ now: () => now });
    const trace = await store.blobs.put(Buffer.from('a trace'));
    await store.recordManualVerdict({ ...base, result: 'fail', validForMs: 86_400_000 });
    now = new Date('2026-12-05T13:00:00Z');
    const pass = await store.recordManualVerdict({
      ...base,
      result: 'pass',
      note: 'fine; sent Authorization: Bearer abc.def.ghi',
      evidence: [{ name: 'trace.zip', ...trace }],
      validForMs: 7 * 86_400_000,
    });
    await store.recordManualVerdict({
      ...base,
      environment: 'demo',
      result: 'fail',
      validForMs: 1000,
    });
    await store.recordManualVerdict({ ...base, check: 'other', result: 'pass', validForMs: 1000 });

    const latest = await store.manualVerdicts({ environment: 'staging' });
    expect(latest.map(v => [v.check, v.result])).toEqual([
      ['looks-right', 'pass'],
      ['other', 'pass'],
    ]);
    expect(latest[0]).toEqual({
      ...pass,
      recordedAt: '2026-12-05T13:00:00.000Z',
      expiresAt: '2026-12-12T13:00:00.000Z',
      evidence: [{ name: 'trace.zip', digest: trace.digest, size: trace.size }],
    });
    // A credential in a note is kept redacted, as in every record of the store.
    expect(latest[0].note).toBe('fine; sent Authorization: Bearer [REDACTED]');
    expect(await store.manualVerdicts({ environment: 'staging', packs: ['elsewhere'] })).toEqual([]);
    expect((await store.manualVerdicts({ environment: 'demo' })).map(v => v.result)).toEqual(['fail']);
  });

  test('a verdict pointing at evidence not in the blobs is refused, and nothing is recorded', async ({
    openTestStore,
  }) => {
    const store = await openTestStore();
    await expect(
      store.recordManualVerdict({
        ...base,
        result: 'pass',
        evidence: [{ name: 'video.webm', digest: 'a'.repeat(64), size: 3 }],
        validForMs: 1000,
      }),
    ).rejects.toMatchObject({ code: 'EVIDENCE_INVALID' });
    expect(await store.manualVerdicts({ environment: 'staging' })).toEqual([]);
  });
});
