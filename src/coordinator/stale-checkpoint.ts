import { durationMs, type Duration, type Governance } from '../governance/governance-schema.ts';
import { lastMoveInto } from '../loop/moved-into.ts';
import type { Task } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';

const DEFAULT_INTERVAL = '1h';

/** How long a task may be in progress without a checkpoint: governance.yaml `queue.checkpoint_interval`. */
export function checkpointInterval(governance: Governance | undefined): { text: string; ms: number } {
  const interval: Duration = governance?.queue.checkpoint_interval ?? DEFAULT_INTERVAL;
  return { text: typeof interval === 'number' ? `${interval}s` : interval, ms: durationMs(interval) };
}

/** Where a task in progress stands against the checkpoint interval. */
export type CheckpointClock = {
  /** When it last went in progress (its claim). */
  since: string;
  lastCheckpoint: string | null;
  /** Neither its claim nor its last checkpoint is within the interval. */
  stale: boolean;
  interval: string;
};

/** The one rule, shared by `task show` and queue health: stale when the later of claim and checkpoint is older than the interval. */
export function isCheckpointStale(
  since: string,
  lastCheckpoint: string | null,
  now: Date,
  intervalMs: number,
): boolean {
  const latest = lastCheckpoint && lastCheckpoint > since ? lastCheckpoint : since;
  return Date.parse(latest) < now.getTime() - intervalMs;
}

/** The task's checkpoint clock, for `task show`; null unless it is in progress. */
export async function taskCheckpointClock(
  store: QueueStore,
  task: Task,
  /** Read only for a task in progress: `task show` of any other needs no governance.yaml. */
  governance: () => Governance | undefined,
  now = new Date(),
): Promise<CheckpointClock | null> {
  if (task.state !== 'in_progress') return null;
  const since = (await lastMoveInto(store, task.id, 'in_progress'))?.at ?? task.updatedAt;
  const lastCheckpoint = (await store.checkpoints(task.id)).at(-1)?.createdAt ?? null;
  const interval = checkpointInterval(governance());
  return {
    since,
    lastCheckpoint,
    stale: isCheckpointStale(since, lastCheckpoint, now, interval.ms),
    interval: interval.text,
  };
}

/** The line `task show` prints when the task is overdue for a checkpoint. */
export function staleCheckpointLine(task: Task, clock: CheckpointClock | null): string[] {
  if (!clock?.stale) return [];
  const from = clock.lastCheckpoint ? `its last checkpoint at ${clock.lastCheckpoint}` : `its claim at ${clock.since}`;
  return [
    `  checkpoint STALE: in progress for more than ${clock.interval} since ${from}; run: packgate checkpoint --task ${task.id}`,
  ];
}
