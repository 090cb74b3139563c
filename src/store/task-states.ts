import { PackgateError } from '../diagnostics/errors.ts';
import type { TaskState } from './queue-schema.ts';

/**
 * The legal moves of a task. A task is proposed (an idea, maybe without a packet), ready (its packet
 * passes), in progress (held by one session, in its own worktree), in review (handed off), done.
 * Parked, blocked and escalated take it off the board until someone decides; done is final: a
 * regression found later is a new task.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<TaskState, readonly TaskState[]>> = {
  proposed: ['ready', 'parked', 'blocked'],
  ready: ['in_progress', 'parked', 'blocked', 'proposed'],
  in_progress: ['in_review', 'ready', 'blocked', 'escalated', 'parked'],
  in_review: ['done', 'in_progress', 'blocked', 'escalated'],
  blocked: ['ready', 'in_progress', 'escalated', 'parked'],
  escalated: ['ready', 'in_progress', 'blocked', 'parked'],
  parked: ['ready', 'proposed'],
  done: [],
};

/** States in which a session holds the task; leaving them releases the hold. */
export const HELD_STATES: ReadonlySet<TaskState> = new Set(['in_progress']);

/** States that need a packet: a task without one can only be proposed, parked or blocked. */
export const PACKET_STATES: ReadonlySet<TaskState> = new Set(['ready', 'in_progress', 'in_review', 'done']);

export function isLegalTransition(from: TaskState, to: TaskState): boolean {
  return LEGAL_TRANSITIONS[from].includes(to);
}

/** Throws TRANSITION_ILLEGAL naming the moves that are legal from `from`. */
export function assertLegalTransition(taskId: string, from: TaskState, to: TaskState): void {
  if (isLegalTransition(from, to)) return;
  // A move to where the task is (parking a parked task) is nothing to do, not a wrong direction.
  if (from === to)
    throw new PackgateError('TRANSITION_ILLEGAL', `task ${taskId} is ${to} already`, {
      hint: LEGAL_TRANSITIONS[from].length
        ? `from ${from} a task can move to: ${LEGAL_TRANSITIONS[from].join(', ')}`
        : `${from} is final; open a new task for further work`,
    });
  const legal = LEGAL_TRANSITIONS[from];
  throw new PackgateError('TRANSITION_ILLEGAL', `task ${taskId} cannot move from ${from} to ${to}`, {
    hint: legal.length
      ? `from ${from} a task can move to: ${legal.join(', ')}`
      : `${from} is final; open a new task for further work`,
  });
}
