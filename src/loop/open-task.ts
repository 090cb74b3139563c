import type { PacketContext } from '../packet/check-packet.ts';
import type { ContextPacket } from '../packet/packet-schema.ts';
import type { Task } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { checkedTaskPacket } from './task-packet.ts';
import { taskWorkspace } from './task-workspace.ts';

/** A task opened to judge its changes: its packet as today's catalogue reads it, where the changes are and since when. */
export type OpenedTask = { task: Task; packet: ContextPacket; dir: string; base: string };

/**
 * Opens a task the way drift and handoff both need it: the task (it must exist), its packet
 * checked against today's catalogue and governance (or PACKET_INVALID), and its workspace (the
 * folder and base given, else its worktree and the commit its branch started from).
 */
export async function openTask(
  store: QueueStore,
  which: { task: string; dir?: string; base?: string },
  project: { root: string; packetContext: Omit<PacketContext, 'taskId'> },
): Promise<OpenedTask> {
  const task = await store.requireTask(which.task);
  const packet = checkedTaskPacket(task, project.packetContext);
  const { dir, base } = taskWorkspace(project.root, task, await store.events(task.id, 'claim'), which);
  return { task, packet, dir, base };
}
