import type { Governance } from '../governance/governance-schema.ts';
import { attachPacket } from '../packet/attach-packet.ts';
import { compileGlob } from '../packet/glob.ts';
import { contextPacketSchema, taskIdSchema, type ContextPacket } from '../packet/packet-schema.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import type { QueueStore } from '../store/queue-store.ts';
import type { FixRecord } from './fix-record-schema.ts';

/** The coverage task of a bug fix that skipped its regression: one per bug fix, so it is found again. */
export function coverageTaskId(parentId: string): string {
  const id = `${parentId}-COVERAGE`;
  if (!taskIdSchema.safeParse(id).success)
    throw new PackgateError('FIX_RECORD_INVALID', `the coverage task of ${parentId} cannot be named ${id}`, {
      hint: 'a task id is at most 100 characters: record the skipped coverage on a task with a shorter id',
    });
  return id;
}

/**
 * The packet of the task that adds the regression a bug fix skipped, derived from the fix's own:
 * its lane, pack, environment and commands (for the coverage task's id), the root cause and why
 * the owning layer is the right one as context, the pack's folder as its owned files.
 */
export function coveragePacket(
  parent: ContextPacket,
  record: FixRecord,
  context: { id: string; fixCommit: string; packsDir: string; governance?: Governance },
): ContextPacket {
  const { id } = context;
  const pack = parent.workflow_regression_pack;
  const layer = record.owning_layer;
  const packFiles = `${context.packsDir}/${pack}/**`;
  const inPack = `${context.packsDir}/${pack}/${layer}.spec.ts`;
  const outside = (glob: string) => !compileGlob(glob)(inPack);
  const boundaries = parent.must_not_touch.filter(outside);
  const fallback = (context.governance?.defaults?.must_not_touch ?? []).filter(outside);
  return contextPacketSchema.parse({
    schema_version: 1,
    task_id: id,
    kind: 'coverage',
    track_id: parent.track_id,
    owner_lane: parent.owner_lane,
    goal: `Add the regression for ${parent.task_id} at the ${layer} layer in ${pack}: ${oneLine(record.root_cause)}`,
    non_goals: unique([`the fix itself: ${parent.task_id} made it`, ...parent.non_goals]),
    current_state:
      `${parent.task_id} fixed the bug at commit ${context.fixCommit.slice(0, 12)} without a regression at the ` +
      `${layer} layer: ${oneLine(record.skipped_coverage ?? '')}`,
    architecture_context: unique([
      `root cause (the bug-fix record of ${parent.task_id}): ${oneLine(record.root_cause)}`,
      `impact: ${oneLine(record.impact)}`,
      `the ${layer} layer owns the defect: ${oneLine(record.layer_rationale)}`,
      `the fix was proven with: ${oneLine(record.proof_command)}`,
      ...parent.architecture_context,
    ]),
    environment: parent.environment,
    owned_files: [packFiles],
    must_not_touch: boundaries.length ? boundaries : fallback.length ? fallback : parent.must_not_touch,
    commands_to_run: parent.commands_to_run.map(command => forTask(command, parent.task_id, id)),
    acceptance: [
      `a test in ${pack} at the ${layer} layer covers the root cause of ${parent.task_id}, listed in its tests.yaml`,
      `the regression is proven: it fails without the fix of ${parent.task_id} and passes with it`,
      ...parent.acceptance.filter(item => typeof item !== 'string'),
    ],
    workflow_regression_pack: pack,
    known_risks: unique([
      `until this task's coverage is accepted, the release stages of ${pack}'s environments are blocked`,
      ...parent.known_risks,
    ]),
    stop_conditions: parent.stop_conditions,
    deviation_rules: parent.deviation_rules,
    handoff_required: parent.handoff_required,
  });
}

/**
 * Puts the coverage task in the queue with its packet, opening its release hold for the skipped
 * coverage's reason; a coverage task that exists already is kept as it is (recording the same
 * skipped coverage again opens nothing new).
 */
export async function openCoverageTask(
  store: QueueStore,
  packet: ContextPacket,
  reason: string,
  actor: string,
): Promise<{ id: string; created: boolean }> {
  if (await store.getTask(packet.task_id)) return { id: packet.task_id, created: false };
  const { task } = await attachPacket(store, packet, actor, { replace: false, holdReason: reason });
  return { id: task.id, created: true };
}

/** A command of the parent's packet for the coverage task: its TASK_ID and --task name the coverage task. */
function forTask(command: string, parent: string, id: string): string {
  const escaped = parent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return command.replace(new RegExp(`(TASK_ID=|--task[ =])${escaped}(?![\\w.-])`, 'g'), `$1${id}`);
}

function oneLine(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function unique(items: string[]): string[] {
  return [...new Set(items.map(i => i.trim()).filter(Boolean))];
}
