import { YamlSource } from '../diagnostics/yaml-source.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { checkPacket, type PacketContext } from '../packet/check-packet.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { renderPacket } from '../packet/packet-source.ts';
import type { ContextPacket } from '../packet/packet-schema.ts';
import type { Task } from '../store/queue-schema.ts';

/** Where a stored packet's problems point: its canonical YAML, as `packgate task show --packet` prints it. */
export function storedPacketSource(task: Task): YamlSource {
  return new YamlSource(`task:${task.id}`, renderPacket(task.packet as Record<string, unknown>));
}

/**
 * The task's packet, checked now against today's catalogue and governance: a pack renamed since the
 * packet was written makes it fail here. PACKET_INVALID with every problem, or the packet.
 */
export function checkedTaskPacket(task: Task, context: Omit<PacketContext, 'taskId'>): ContextPacket {
  if (!task.packet)
    throw new PackgateError('PACKET_INVALID', `task ${task.id} has no packet`, {
      hint: `write one: packgate packet new --task-id ${task.id} ... (or packet attach <file>)`,
    });
  const { packet, diagnostics } = checkPacket(storedPacketSource(task), { ...context, taskId: task.id });
  if (!packet) {
    const errors = diagnostics.filter(d => d.severity === 'error');
    throw new PackgateError(
      'PACKET_INVALID',
      `the packet of task ${task.id} does not pass (${summarizeDiagnostics(errors)})`,
      { diagnostics: errors, hint: `fix it and attach it again: packgate packet attach <file>` },
    );
  }
  return packet;
}
