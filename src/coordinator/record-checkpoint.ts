import { PackgateError } from '../diagnostics/errors.ts';
import { suggest } from '../diagnostics/nearest.ts';
import { packetDigest } from '../packet/attach-packet.ts';
import { lastMoveInto } from '../loop/moved-into.ts';
import type { ContextPacket } from '../packet/packet-schema.ts';
import type { Checkpoint, CheckpointOutcome } from '../store/checkpoint-schema.ts';
import type { Escalation } from '../store/escalation-schema.ts';
import type { Task, Transition } from '../store/queue-schema.ts';
import type { CheckpointActs, QueueStore } from '../store/queue-store.ts';
import { assertLegalTransition, isLegalTransition } from '../store/task-states.ts';
import type { CheckpointFields } from './checkpoint-fields.ts';
import type { ReportProblems } from './checkpoint-input.ts';
import { splitPacket } from './split-packet.ts';

export type CheckpointRequest = {
  task: Task;
  fields: CheckpointFields;
  /** The task's packet, checked: a split derives its tasks' packets from it. */
  packet: () => ContextPacket;
  /**
   * The lanes of the governance file, when there is one, and its path as the project names it
   * (packgate.yaml `governance:`, default governance.yaml): an escalation goes to one of them.
   */
  lanes?: { names: readonly string[]; file: string };
  /** How a problem with a field (the lane, a split id) is told: by its flag, or located in the template. */
  report: ReportProblems;
  actor: string;
};

export type CheckpointResult = {
  checkpoint: Checkpoint;
  /** The goal the packet states (the task's title when it has none), against which a change is flagged. */
  packetGoal: string;
  transition: Transition | null;
  escalation: Escalation | null;
  splitTasks: Task[];
};

/**
 * Records a checkpoint and does what its decision says:
 * 1. everything is checked first (the task open, the move legal, the lane known, the split's ids
 *    free and its packets derivable), so bad input writes nothing;
 * 2. the checkpoint is recorded with what its decision will do, and its `checkpoint` event;
 *    step 3 is written in the same transaction, so a failure in it leaves no checkpoint either;
 * 3. continue: nothing moves. park: the task is parked (its hold released). escalate: an
 *    escalation from the checkpoint, to the lane given or the task's own, moves it to escalated.
 *    split: the new tasks are made ready with packets derived from the parent's (origin: the
 *    parent), the parent depends on them and is parked: its work goes on in its parts, and it
 *    comes back (to be closed or finished) only once they are done. A parent that cannot be parked
 *    (in review) is not split: refused in step 1. The parts open no release holds of their own: a bug fix's hold
 *    stays with its parked parent until that is done.
 */
export async function recordCheckpoint(store: QueueStore, request: CheckpointRequest): Promise<CheckpointResult> {
  const { task, fields, actor } = request;
  const packetGoal = ((task.packet as { goal?: string } | null)?.goal ?? task.title).trim();
  // 1. check
  if (task.state === 'done')
    throw new PackgateError('TRANSITION_ILLEGAL', `task ${task.id} is done; a checkpoint is for an open task`, {
      hint: 'open a new task for further work',
    });
  const outcome: CheckpointOutcome = { movedTo: null, splitInto: [], escalatedTo: null };
  let parts: Array<{ id: string; goal: string }> = [];
  if (fields.decision === 'park') {
    assertLegalTransition(task.id, task.state, 'parked');
    outcome.movedTo = 'parked';
  } else if (fields.decision === 'escalate') {
    outcome.escalatedTo = escalationLane(task, fields, request.lanes, request.report);
    outcome.movedTo = isLegalTransition(task.state, 'escalated') ? 'escalated' : null;
  } else if (fields.decision === 'split') {
    // A split parks the parent until its parts are done. A task in review cannot be parked, and left
    // in review it could be accepted as done while its parts are open: its review decides first.
    if (task.state === 'parked') throw await splitParked(store, task, request.report);
    if (!isLegalTransition(task.state, 'parked')) {
      const summary = `task ${task.id} is ${task.state}: a split parks it until its parts are done, and a task ${task.state} cannot be parked`;
      const hint =
        `finish its review first: accept it (packgate review submit --task ${task.id} --accept) and open the rest as ` +
        'new tasks, or request changes (--request-changes), which sends it back to in_progress, then split it';
      throw request.report({
        code: 'TRANSITION_ILLEGAL',
        summary,
        hint,
        fields: [{ path: ['decision'], rule: 'split-in-review', message: summary, hint }],
      });
    }
    parts = fields.split;
    await checkSplit(store, task, parts, request.packet, request.report);
    outcome.splitInto = parts.map(p => p.id);
    outcome.movedTo = 'parked';
  }

  // 2. record and 3. act, in one transaction: what the decision does is made from the recorded
  // checkpoint (its number names it), and a failure anywhere leaves neither.
  const parent = fields.decision === 'split' ? request.packet() : undefined;
  const acted = await store.checkpointAndAct(
    {
      taskId: task.id,
      originalGoal: fields.original_goal,
      goalChanged: fields.original_goal !== packetGoal,
      currentTrack: fields.current_track,
      whatChanged: fields.what_changed,
      driftDiscovered: fields.drift_discovered,
      blockedOn: fields.blocked_on,
      nextActions: fields.next_actions,
      decision: fields.decision,
      outcome,
      createdBy: actor,
    },
    checkpoint => {
      const reason = `checkpoint #${checkpoint.number}: ${fields.decision}; blocked on: ${fields.blocked_on}`;
      const acts: CheckpointActs = {};
      if (fields.decision === 'escalate')
        acts.escalation = {
          taskId: task.id,
          source: 'checkpoint',
          to: outcome.escalatedTo,
          reason,
          details: {
            checkpoint: checkpoint.id,
            nextActions: fields.next_actions,
            driftDiscovered: fields.drift_discovered,
          },
          paths: [],
          base: null,
          head: null,
          stopConditions: (task.packet as { stop_conditions?: string[] } | null)?.stop_conditions ?? [],
          createdBy: actor,
        };
      if (parent)
        acts.splitInto = parts.map(part => {
          const packet = splitPacket(parent, part, checkpoint.number);
          return {
            id: part.id,
            title: titleOf(part.goal),
            state: 'ready',
            kind: packet.kind,
            ownerLane: packet.owner_lane,
            trackId: packet.track_id,
            origin: task.id,
            packet: packet as unknown as Record<string, unknown>,
            packetDigest: packetDigest(packet),
            reason: `split from ${task.id} at checkpoint #${checkpoint.number}`,
          };
        });
      if (outcome.movedTo === 'parked')
        acts.park = {
          actor,
          reason:
            fields.decision === 'split'
              ? `checkpoint #${checkpoint.number}: split into ${outcome.splitInto.join(', ')}`
              : reason,
        };
      return acts;
    },
  );
  return { ...acted, packetGoal };
}

/**
 * A parked task is not split: a split parks the task it splits. Split already (the same split run
 * twice, say), its parts are named; the way on is to split a part, or to move the task back first.
 */
async function splitParked(store: QueueStore, task: Task, report: ReportProblems): Promise<PackgateError> {
  const parked = await lastMoveInto(store, task.id, 'parked');
  const parts = /: split into (.+)$/.exec(parked?.reason ?? '')?.[1];
  const summary =
    `task ${task.id} is parked already` +
    (parked ? ` (since ${parked.at}: ${parked.reason})` : '') +
    ': a split parks the task it splits, so a parked task is not split';
  const hint =
    (parts
      ? `its parts ${parts} are tasks of their own: split one of them (packgate checkpoint --task <part> ...), or `
      : '') + `move it back to ready first (packgate task move ${task.id} ready --reason "..."), then split it`;
  return report({
    code: 'TRANSITION_ILLEGAL',
    summary,
    hint,
    fields: [{ path: ['decision'], rule: 'split-parked', message: summary, hint }],
  });
}

/** The lane an escalation goes to: the one given, else the task's; one the governance file knows. */
function escalationLane(
  task: Task,
  fields: CheckpointFields,
  lanes: CheckpointRequest['lanes'],
  report: ReportProblems,
): string {
  const lane = fields.escalate_to ?? task.ownerLane;
  if (!lane) {
    const summary = `task ${task.id} has no lane: say which lane the escalation goes to`;
    throw report({
      code: 'INPUT_INVALID',
      summary,
      hint: 'add --to <lane>',
      fields: [{ path: ['escalate_to'], rule: 'missing-lane', message: summary, hint: 'name the lane it goes to' }],
    });
  }
  if (lanes && !lanes.names.includes(lane)) {
    const hint = suggest(lane, lanes.names, 'lanes');
    const summary = `no lane ${lane} in ${lanes.file} to escalate to`;
    // The task's own lane, when none was given, is no field of the input to point at.
    if (!fields.escalate_to) throw new PackgateError('INPUT_INVALID', summary, { hint });
    throw report({
      code: 'INPUT_INVALID',
      summary,
      hint,
      fields: [{ path: ['escalate_to'], rule: 'unknown-lane', message: summary, hint }],
    });
  }
  return lane;
}

/** A split's ids are new and distinct, and its packets can be derived from the parent's. */
async function checkSplit(
  store: QueueStore,
  task: Task,
  parts: ReadonlyArray<{ id: string; goal: string }>,
  packet: () => ContextPacket,
  report: ReportProblems,
): Promise<void> {
  const ids = parts.map(p => p.id);
  const repeated = ids.flatMap((id, i) => (ids.indexOf(id) !== i || id === task.id ? [i] : []));
  if (repeated.length)
    throw report({
      code: 'INPUT_INVALID',
      summary: `a split names ${[...new Set(repeated.map(i => ids[i]))].join(', ')} twice (or the task itself)`,
      hint: 'give each part an id of its own',
      fields: repeated.map(i => ({
        path: ['split', i],
        rule: 'duplicate-id',
        message: ids[i] === task.id ? `${ids[i]} is the task being split` : `${ids[i]} is named twice`,
        hint: 'give each part an id of its own',
      })),
    });
  const taken: number[] = [];
  for (const [i, id] of ids.entries()) if (await store.getTask(id)) taken.push(i);
  if (taken.length)
    throw report({
      code: 'TASK_EXISTS',
      summary: `a split cannot make ${taken.map(i => ids[i]).join(', ')}: already in the store`,
      hint: 'give the parts new ids',
      fields: taken.map(i => ({
        path: ['split', i],
        rule: 'task-exists',
        message: `task ${ids[i]} is already in the store`,
        hint: `give this part a new id (see the one there with: packgate task show ${ids[i]})`,
      })),
    });
  const parent = packet();
  for (const part of parts) splitPacket(parent, part, 0);
}

function titleOf(goal: string): string {
  const line = goal.trim().split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
