import { PackgateError } from '../diagnostics/errors.ts';
import type { TaskState, Transition } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';

/**
 * A move by hand (`packgate task move`). Two states are reached only by doing the work that earns
 * them: in_progress by `task start` (a claim, a worktree, a packet that passes) and in_review by
 * `handoff` (every acceptance item proven). Ready needs a packet that passes today: the caller
 * checks it and says so with `packetChecked`.
 */
export async function moveTask(
  store: QueueStore,
  options: { taskId: string; to: TaskState; reason: string; actor: string; packetChecked: boolean },
): Promise<Transition> {
  const { taskId, to } = options;
  if (to === 'in_progress')
    throw new PackgateError('TRANSITION_ILLEGAL', `task ${taskId} moves to in_progress by being started`, {
      hint: `run: packgate task start ${taskId}`,
    });
  if (to === 'in_review')
    throw new PackgateError('TRANSITION_ILLEGAL', `task ${taskId} moves to in_review by its handoff`, {
      hint: `run: packgate handoff --task ${taskId}`,
    });
  if (to === 'ready' && !options.packetChecked)
    throw new PackgateError('TRANSITION_ILLEGAL', `task ${taskId} needs a packet that passes to be ready`, {
      hint: `check it: packgate packet check ${taskId}`,
    });
  const task = await store.requireTask(taskId);
  return store.transition(taskId, { from: task.state, to, actor: options.actor, reason: options.reason });
}
