/**
 * A writer process for bench/store.ts: opens the store, prints `ready`, waits for a line on stdin
 * (so every writer starts at once), writes, prints one JSON line and exits.
 *
 *   node --import tsx bench/store-writer.ts '<location json>' tasks <prefix> <count>
 *   node --import tsx bench/store-writer.ts '<location json>' events <prefix> <tasks> <count>
 */
import readline from 'node:readline';
import { openStore, type StoreLocation } from '../src/store/open.ts';

const [locationJson, mode, prefix, ...rest] = process.argv.slice(2);
const store = await openStore(JSON.parse(locationJson) as StoreLocation);
process.stdout.write('ready\n');
await new Promise<void>(resolve => {
  const lines = readline.createInterface({ input: process.stdin });
  lines.once('line', () => (lines.close(), resolve()));
});

/** One task in three is ready (with a stand-in packet), lanes round-robin: something for filters to find. */
const LANES = ['lane-a', 'lane-b', 'lane-c', 'lane-d'];

if (mode === 'tasks') {
  const count = Number(rest[0]);
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`;
    const ready = i % 3 === 0;
    await store.createTask(
      {
        id,
        title: `bench task ${id}`,
        ownerLane: LANES[i % LANES.length],
        trackId: `track-${i % 50}`,
        state: ready ? 'ready' : 'proposed',
        ...(ready ? { packet: { task_id: id, goal: 'bench' }, packetDigest: `digest-${id}` } : {}),
      },
      'bench',
    );
  }
} else if (mode === 'events') {
  const [tasks, count] = rest.map(Number);
  for (let i = 0; i < count; i++)
    await store.addEvent(`${prefix}-${i % tasks}`, 'note', { text: `bench event ${i}`, n: i }, 'bench');
}
process.stdout.write(`${JSON.stringify({ done: true })}\n`);
await store.close();
