import { forTask } from '../loop/follow-up-packet.ts';
import { contextPacketSchema, type ContextPacket } from '../packet/packet-schema.ts';

/**
 * The packet of a task a checkpoint splits off its parent: the parent's packet (lane, track,
 * boundaries, pack, environment, commands for the new id, acceptance) with the new goal, where it
 * came from as context, and a risk saying the inherited boundaries are to be narrowed before
 * starting, as drift's follow-ups say of theirs.
 */
export function splitPacket(
  parent: ContextPacket,
  split: { id: string; goal: string },
  checkpoint: number,
): ContextPacket {
  return contextPacketSchema.parse({
    ...parent,
    task_id: split.id,
    goal: split.goal,
    current_state:
      `split from ${parent.task_id} at its checkpoint #${checkpoint}; not started. ` +
      `Where ${parent.task_id} stood: ${parent.current_state}`,
    non_goals: unique([`the rest of ${parent.task_id}: its other parts are tasks of their own`, ...parent.non_goals]),
    architecture_context: [`part of ${parent.task_id} (its goal: ${parent.goal})`, ...parent.architecture_context],
    commands_to_run: parent.commands_to_run.map(command => forTask(command, parent.task_id, split.id)),
    known_risks: unique([
      `derived from the packet of ${parent.task_id}: its owned files, pack, commands and acceptance are the whole ` +
        "parent's; narrow them to this part before starting",
      ...parent.known_risks,
    ]),
  });
}

function unique(items: string[]): string[] {
  return [...new Set(items.map(i => i.trim()).filter(Boolean))];
}
