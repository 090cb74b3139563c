import { PackgateError } from '../diagnostics/errors.ts';
import type { Task, TaskState } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';

export type OpenDependency = { task: string; state: TaskState };

/** The tasks `task` depends on that are not done yet, with where they are. */
export async function openDependencies(store: QueueStore, task: Task): Promise<OpenDependency[]> {
  const open: OpenDependency[] = [];
  for (const id of task.dependsOn) {
    const dependency = await store.requireTask(id);
    if (dependency.state !== 'done') open.push({ task: id, state: dependency.state });
  }
  return open;
}

/**
 * A task starts once what it depends on is done: else it is refused (exit 1) with the open ones
 * named, unless forced with a reason. Returns the body of the `override` event a forced start
 * records, or nothing when there was nothing to force.
 */
export function dependencyOverride(
  taskId: string,
  open: readonly OpenDependency[],
  force: { reason: string } | undefined,
): Record<string, unknown> | undefined {
  if (!open.length) return undefined;
  const named = open.map(d => `${d.task} (${d.state})`).join(', ');
  if (!force)
    throw new PackgateError('DEPENDENCIES_OPEN', `task ${taskId} depends on tasks that are not done: ${named}`, {
      hint: `finish those first (packgate task next lists what can start now), or start it anyway: packgate task start ${taskId} --force --reason "<why>"`,
    });
  return { check: 'dependencies done', open, reason: force.reason };
}
