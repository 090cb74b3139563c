import type { Checkpoint } from '../../src/store/checkpoint-schema.ts';
import type { TaskEvent } from '../../src/store/queue-schema.ts';

/**
 * A task's events as `task show` prints them. A `checkpoint` event points at its record by the
 * store's id, which a person never sees: it is named by the task's own count (`#2`), as the
 * checkpoint command and the checkpoints above it name it. Other bodies are printed as stored: the
 * ids they hold (gate runs, escalations, holds, closeouts) are the `#n` those commands print.
 */
export function eventLines(events: readonly TaskEvent[], checkpoints: readonly Checkpoint[]): string[] {
  if (!events.length) return [];
  const byId = new Map(checkpoints.map(c => [c.id, c]));
  return [
    'events:',
    ...events.map(e => {
      const checkpoint = e.kind === 'checkpoint' ? byId.get(Number(e.body.checkpoint)) : undefined;
      // One with no record here (an imported backlog's) is shown as it came.
      if (!checkpoint) return `  ${e.at}  ${e.kind} by ${e.actor}: ${JSON.stringify(e.body)}`;
      return (
        `  ${e.at}  checkpoint #${checkpoint.number} by ${e.actor}: ${checkpoint.decision}` +
        (checkpoint.goalChanged ? ' (GOAL CHANGED)' : '')
      );
    }),
  ];
}
