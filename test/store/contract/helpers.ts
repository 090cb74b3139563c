import { sha256 } from '../../../src/store/blobs.ts';
import type { NewGateRun, TaskKind } from '../../../src/store/queue-schema.ts';
import type { PacketUpdate, QueueStore, SessionInfo } from '../../../src/store/queue-store.ts';

/** A stand-in packet: the store keeps packets as given; checking them is the packet module's job. */
export function packetFor(id: string, lane = 'lane-a', kind: TaskKind = 'feature'): PacketUpdate {
  return {
    packet: { task_id: id, owner_lane: lane, goal: `goal of ${id}` },
    digest: `digest-of-${id}`,
    title: `goal of ${id}`,
    kind,
    ownerLane: lane,
    trackId: 'track-1',
  };
}

/** A task that is ready to be claimed. */
export async function readyTask(
  store: QueueStore,
  id: string,
  lane = 'lane-a',
  kind: TaskKind = 'feature',
): Promise<void> {
  const packet = packetFor(id, lane, kind);
  await store.createTask(
    {
      id,
      title: packet.title,
      state: 'ready',
      kind,
      ownerLane: lane,
      trackId: 'track-1',
      packet: packet.packet,
      packetDigest: packet.digest,
    },
    'tester',
  );
}

export function session(id: string): SessionInfo {
  return { id, actor: `agent-${id}`, host: 'test-host', pid: 1 };
}

let runs = 0;

/** A gate run to record; each one a run of its own (its own subject digest) unless `subjectDigest` is given. */
export function gateRun(overrides: Partial<NewGateRun> = {}): NewGateRun {
  return {
    subjectDigest: sha256(`run ${++runs}`),
    taskId: null,
    environment: 'local',
    stage: 'dev',
    verdict: 'PASS',
    gitCommit: 'abc123',
    gitDirty: false,
    command: 'npx playwright test --project=local-api',
    projects: ['local-api'],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    recordedBy: 'tester',
    verdictDigest: '0'.repeat(64),
    problems: [],
    packs: [{ pack: 'pack-a', status: 'PASS', policy: 'blocking', blocks: false, reason: 'all 4 tests passed' }],
    evidence: [],
    ...overrides,
  };
}

/** A clock that moves one second each time it is read: orders by time are then by creation. */
export function tickingClock(start = Date.parse('2026-01-01T00:00:00Z')): {
  now: () => Date;
  advance(ms: number): void;
} {
  let at = start;
  return {
    now: () => new Date((at += 1000)),
    advance: ms => void (at += ms),
  };
}
