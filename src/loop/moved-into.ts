import type { QueueStore } from '../store/queue-store.ts';
import type { TaskState, Transition } from '../store/queue-schema.ts';

/**
 * The task's last move into `state` (when, by whom, why): what a refusal says of a task that is
 * there already (handed off, done, parked), or since when it has been.
 */
export async function lastMoveInto(
  store: QueueStore,
  taskId: string,
  state: TaskState,
): Promise<Transition | undefined> {
  return (await store.transitions(taskId)).findLast(t => t.to === state);
}

/** A move's time to the minute, as those refusals say it: `2026-12-07 09:13 UTC`. */
export function movedAt(move: Transition): string {
  return `${move.at.slice(0, 16).replace('T', ' ')} UTC`;
}
