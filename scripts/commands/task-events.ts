import type { Checkpoint } from '../../src/store/checkpoint-schema.ts';
import { eventWords } from '../../src/store/event-words.ts';
import type { TaskEvent } from '../../src/store/queue-schema.ts';

/**
 * A task's events as `task show` prints them, one line each: `<at>  <kind> by <actor>: <what
 * happened>`, in the words the dashboard's task page shows too (src/store/event-words.ts).
 */
export function eventLines(events: readonly TaskEvent[], checkpoints: readonly Checkpoint[]): string[] {
  if (!events.length) return [];
  return [
    'events:',
    ...events.map(e => {
      const { what, words } = eventWords(e, checkpoints);
      return `  ${e.at}  ${what} by ${e.actor}: ${words}`;
    }),
  ];
}
