/**
 * A writer process for the load, claim-race and kill -9 tests. It opens the store, prints `ready`,
 * waits for `go` on stdin (so every writer starts at once), does its work and prints one JSON line.
 *
 *   node --import tsx writer.ts '<location json>' create <prefix> <count>   one task per transaction
 *   node --import tsx writer.ts '<location json>' claim <session> <id,id,...> claim each, report wins
 *   node --import tsx writer.ts '<location json>' churn <prefix>            write whole records until killed
 */
import { randomBytes } from 'node:crypto';
import readline from 'node:readline';
import { openStore, type StoreLocation } from '../../../src/store/open.ts';
import { CHURN_PACKS } from './spawn-writer.ts';

const [locationJson, mode, ...args] = process.argv.slice(2);
const store = await openStore(JSON.parse(locationJson) as StoreLocation);
process.stdout.write('ready\n');
await new Promise<void>(resolve => {
  const lines = readline.createInterface({ input: process.stdin });
  lines.once('line', () => (lines.close(), resolve()));
});

if (mode === 'create') {
  const [prefix, count] = args;
  for (let i = 0; i < Number(count); i++)
    await store.createTask({ id: `${prefix}-${i}`, title: `load ${prefix} ${i}` }, prefix);
  process.stdout.write(`${JSON.stringify({ created: Number(count) })}\n`);
} else if (mode === 'claim') {
  const [session, ids] = args;
  const won: string[] = [];
  const lost: string[] = [];
  for (const id of ids.split(',')) {
    try {
      await store.claim(id, {
        session: { id: session, actor: session, host: 'test', pid: process.pid },
        actor: session,
        reason: 'race',
      });
      won.push(id);
    } catch (error) {
      if ((error as { code?: string }).code !== 'TASK_HELD') throw error;
      lost.push(id);
    }
  }
  process.stdout.write(`${JSON.stringify({ won, lost })}\n`);
} else if (mode === 'churn') {
  // Each round is a task (with its transition) and a gate run on it with CHURN_PACKS packs and as
  // many evidence files of up to 64 KiB: large enough that a kill often lands mid-write.
  const [prefix] = args;
  for (let i = 0; ; i++) {
    const taskId = `${prefix}-${i}`;
    await store.createTask({ id: taskId, title: `churn ${i}` }, 'churn');
    const evidence = [];
    for (let p = 0; p < CHURN_PACKS; p++) {
      const blob = await store.blobs.put(randomBytes(1 + Math.floor(Math.random() * 65536)));
      evidence.push({ path: `evidence/pack-${p}/trace.zip`, pack: `pack-${p}`, ...blob });
    }
    await store.recordGateRun({
      taskId,
      environment: 'local',
      stage: 'dev',
      verdict: 'PASS',
      gitCommit: null,
      gitDirty: false,
      command: 'churn',
      projects: ['local-api'],
      startedAt: new Date().toISOString(),
      durationMs: 1,
      recordedBy: 'churn',
      verdictDigest: evidence[0].digest,
      subjectDigest: randomBytes(32).toString('hex'),
      problems: [],
      packs: evidence.map(e => ({
        pack: e.pack,
        status: 'PASS' as const,
        policy: 'blocking' as const,
        blocks: false,
        reason: 'ok',
      })),
      evidence,
    });
  }
}
await store.close();
