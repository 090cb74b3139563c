import { PackgateError } from '../diagnostics/errors.ts';
import { DEFAULT_GOVERNANCE_FILE } from '../governance/load-governance.ts';
import type { TaskState, Transition } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';

/** How a coordinator's forced move begins its reason: `task show` marks such a transition forced. */
export const FORCED_PREFIX = 'forced by coordinator:';

/**
 * A move by hand (`packgate task move`). Two states are reached only by doing the work that earns
 * them: in_progress by `task start` (a claim, a worktree, a packet that passes) and in_review by
 * `handoff` (every acceptance item proven). Ready needs a packet that passes today: the caller
 * checks it and says so with `packetChecked`. In review reaches done only through an accepted review
 * (`packgate review submit`), or forced by a coordinator with a reason, recorded as an override.
 */
export async function moveTask(
  store: QueueStore,
  options: {
    taskId: string;
    to: TaskState;
    reason: string;
    actor: string;
    packetChecked: boolean;
    /** A coordinator's forced done, without an accepted review. */
    force?: boolean;
    /**
     * Who may force it (`review.coordinators`), and the governance file they were read from as the project
     * names it (packgate.yaml `governance:`, default governance.yaml).
     */
    coordinators?: { names: readonly string[]; file: string };
  },
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
  const reviewed = task.state === 'in_review' && to === 'done';
  if (options.force && !reviewed)
    throw new PackgateError(
      'INPUT_INVALID',
      `--force is for a task in_review moved to done; ${taskId} is ${task.state}`,
      {
        hint: 'drop --force',
      },
    );
  if (!reviewed)
    return store.transition(taskId, { from: task.state, to, actor: options.actor, reason: options.reason });
  // In review reaches done through an accepted review; a coordinator may force it, on the record.
  if (!options.force)
    throw new PackgateError('REVIEW_REFUSED', `task ${taskId} moves from in_review to done by an accepted review`, {
      hint: `review it: packgate review submit --task ${taskId} --accept (a coordinator may force it: --force --reason "...")`,
    });
  const coordinators = options.coordinators?.names ?? [];
  if (!coordinators.includes(options.actor))
    throw new PackgateError(
      'REVIEW_REFUSED',
      `${options.actor} is not a coordinator: only a coordinator forces a task to done`,
      {
        hint: `coordinators (${options.coordinators?.file ?? DEFAULT_GOVERNANCE_FILE} review.coordinators): ${coordinators.join(', ') || 'none'}`,
      },
    );
  return store.transition(taskId, {
    from: 'in_review',
    to: 'done',
    actor: options.actor,
    reason: `${FORCED_PREFIX} ${options.reason}`,
    event: {
      kind: 'override',
      body: { check: 'accepted review', from: 'in_review', to: 'done', reason: options.reason },
    },
  });
}
