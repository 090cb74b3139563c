import {
  fieldsFromEditor,
  fieldsFromFlags,
  reportFlagProblems,
  type CheckpointFlags,
} from '../../src/coordinator/checkpoint-input.ts';
import { recordCheckpoint } from '../../src/coordinator/record-checkpoint.ts';
import { checkedTaskPacket } from '../../src/loop/task-packet.ts';
import { actorOf, emit, packetContext, project, withStore, type CommonOptions } from './kit.ts';

/** Records a coordinator checkpoint of a task, from flags or the editor template, and acts on its decision. */
export async function checkpoint(
  options: CommonOptions & CheckpointFlags & { task: string; edit?: boolean },
): Promise<void> {
  const p = project();
  const governance = p.governance()?.value;
  const result = await withStore(p, async store => {
    const task = await store.requireTask(options.task);
    // A goal a checkpoint changed stays changed: the next one starts from it, not from the packet's.
    const latest = (await store.checkpoints(task.id)).at(-1);
    const prefill = {
      original_goal: latest?.originalGoal ?? ((task.packet as { goal?: string } | null)?.goal ?? task.title).trim(),
      current_track: `${task.trackId ?? task.id}: ${task.state}`,
    };
    const input = options.edit
      ? // Said before the editor opens, on stderr: --json keeps stdout for the result.
        fieldsFromEditor(p.root, task, options, prefill, line => process.stderr.write(`packgate: ${line}\n`))
      : { fields: fieldsFromFlags(task.id, options, prefill), done: () => {}, report: reportFlagProblems };
    const recorded = await recordCheckpoint(store, {
      task,
      fields: input.fields,
      packet: () => checkedTaskPacket(task, packetContext(p)),
      lanes: governance ? { names: Object.keys(governance.lanes), file: p.governanceFile } : undefined,
      report: input.report,
      actor: actorOf(options),
    });
    input.done();
    return { ...recorded, state: (await store.requireTask(task.id)).state };
  });
  const { checkpoint: c, transition, escalation, splitTasks, packetGoal, state } = result;
  emit(options, { checkpoint: c, goalChanged: c.goalChanged, packetGoal, state, transition, escalation, splitTasks }, [
    `checkpoint #${c.number} of ${c.taskId}: ${c.decision}${transition ? ` (${transition.from} -> ${transition.to})` : ''}`,
    ...(c.goalChanged ? [`  GOAL CHANGED: the packet says "${packetGoal}"; now "${c.originalGoal}"`] : []),
    `  track: ${c.currentTrack}`,
    `  changed: ${c.whatChanged}`,
    `  drift: ${c.driftDiscovered}`,
    `  blocked on: ${c.blockedOn}`,
    ...c.nextActions.map((a, i) => `  next ${i + 1}: ${a}`),
    ...(escalation
      ? [
          `  escalation #${escalation.id} to ${escalation.to}${escalation.moved ? '' : ' (the task stayed where it was)'}`,
        ]
      : []),
    ...splitTasks.map(t => `  split into ${t.id} (ready, lane ${t.ownerLane}): ${t.title}`),
  ]);
}
