import type { Governance } from '../governance/governance-schema.ts';
import type { FileChange } from '../git/git.ts';
import { compileGlob } from '../packet/glob.ts';
import { contextPacketSchema, type ContextPacket } from '../packet/packet-schema.ts';
import { laneOfPath } from './lane-of-path.ts';

/**
 * The packet of a follow-up task drift proposes for a change outside its parent's ownership (rule
 * 3), derived from the parent's packet so the follow-up can be judged and made ready as it is: the
 * lane the governance file gives the path to (the parent's lane when none owns it, a risk that names
 * the file as the project does: `governanceFile`) with that lane's boundaries, risks and non-goals;
 * the file as its only owned file; the parent's goal as context, and its pack, environment,
 * commands (for the follow-up's id) and pack proofs, flagged as a risk to check before the task is
 * made ready.
 */
export function followUpPacket(
  parent: ContextPacket,
  change: FileChange,
  context: { id: string; governance?: Governance; governanceFile: string; head: string | null },
): ContextPacket {
  const { id } = context;
  const owner = laneOfPath(context.governance, change.path);
  const laneName = owner?.name ?? parent.owner_lane;
  const lane = context.governance?.lanes[laneName];
  const defaults = context.governance?.defaults;
  const outside = (glob: string) => !compileGlob(glob)(change.path);
  const boundaries = unique([...(lane?.must_not_touch ?? []), ...(defaults?.must_not_touch ?? [])]).filter(outside);
  return contextPacketSchema.parse({
    schema_version: 1,
    task_id: id,
    track_id: parent.track_id,
    owner_lane: laneName,
    goal:
      `Follow-up of ${parent.task_id}: decide whether the change to ${change.path}, made there outside its owned ` +
      `files, is wanted, and if so make it here (the goal of ${parent.task_id}: ${parent.goal})`,
    non_goals: unique([
      `the goal of ${parent.task_id} itself: that task does it`,
      ...parent.non_goals,
      ...(lane?.non_goals ?? []),
      ...(defaults?.non_goals ?? []),
    ]),
    current_state:
      `proposed by the drift check of ${parent.task_id}: ${change.path} ${change.status} in its worktree ` +
      `(${context.head ? `commit ${context.head.slice(0, 12)}` : 'no commit'}), outside its owned files; ` +
      'reverted there, not here yet',
    architecture_context: [
      `follow-up of ${parent.task_id}, whose owned files are ${parent.owned_files.join(', ')}`,
      ...(owner ? [`lane ${owner.name} owns ${change.path} (${owner.glob}): ${owner.lane.description.trim()}`] : []),
      ...parent.architecture_context,
    ],
    environment: parent.environment,
    owned_files: [change.path],
    must_not_touch: boundaries.length ? boundaries : parent.must_not_touch.filter(outside),
    commands_to_run: parent.commands_to_run.map(command => forTask(command, parent.task_id, id)),
    acceptance: [
      `the change to ${change.path} is made and reviewed here, or this task is closed as not wanted`,
      ...parent.acceptance.filter(item => typeof item !== 'string'),
    ],
    workflow_regression_pack: parent.workflow_regression_pack,
    known_risks: unique([
      `derived from the packet of ${parent.task_id}: its pack, environment, commands and acceptance proofs; ` +
        'check they prove this change before the task is made ready',
      ...(owner
        ? []
        : [
            `no lane of ${context.governanceFile} owns ${change.path}: the lane is ${parent.owner_lane}'s until one does`,
          ]),
      ...(lane?.known_risks ?? []),
      ...(defaults?.known_risks ?? []),
    ]),
    stop_conditions: unique([...parent.stop_conditions, ...(lane?.stop_conditions ?? [])]),
    deviation_rules: parent.deviation_rules,
    handoff_required: parent.handoff_required,
  });
}

/** A command of the parent's packet for the follow-up: its TASK_ID and --task name the follow-up. */
export function forTask(command: string, parent: string, id: string): string {
  const escaped = parent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return command.replace(new RegExp(`(TASK_ID=|--task[ =])${escaped}(?![\\w.-])`, 'g'), `$1${id}`);
}

function unique(items: string[]): string[] {
  return [...new Set(items.map(i => i.trim()).filter(Boolean))];
}
