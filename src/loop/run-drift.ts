import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { globSchema } from '../governance/governance-schema.ts';
import { compileGlob } from '../packet/glob.ts';
import { changedFiles, headCommit, repoRoot } from '../git/git.ts';
import type { Governance } from '../governance/governance-schema.ts';
import { packetDigest } from '../packet/attach-packet.ts';
import type { ContextPacket } from '../packet/packet-schema.ts';
import { sha256 } from '../store/blobs.ts';
import type { Escalation, EscalationCrossing } from '../store/escalation-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { judgeDrift, type DriftJudgement, type DriftReport, type JudgedChange } from './drift.ts';
import { followUpPacket } from './follow-up-packet.ts';
import { laneOfPath } from './lane-of-path.ts';
import type { OpenedTask } from './open-task.ts';

export type DriftOutcome = DriftReport & {
  base: string;
  head: string | null;
  /** Whether the task was moved to escalated (it is left where it is when it cannot move there). */
  escalated: boolean;
  /** The escalation this check recorded, if it found a rule 2 change. */
  escalation: Escalation | null;
  /** Follow-up tasks proposed by this check (ones proposed before are not proposed again), with their lane. */
  proposed: Array<{ id: string; path: string; ownerLane: string }>;
};

/**
 * Judges the task's changes by the drift rules and records what they call for: the check itself;
 * for rule 2 an escalation record (what crossed which boundary, the diff's paths, the packet's stop
 * conditions; the task moves to escalated, releasing its hold); for rule 3 a follow-up task per
 * file, proposed, pointing back at this one, with a packet derived from this one's.
 */
export async function runDrift(
  store: QueueStore,
  { task: { id: taskId }, packet, dir, base }: OpenedTask,
  options: {
    judgement: DriftJudgement;
    actor: string;
    command: string;
    governance?: Governance;
    /** The governance file as the project names it (packgate.yaml `governance:`), for what the follow-ups say. */
    governanceFile: string;
  },
): Promise<DriftOutcome> {
  const { actor } = options;
  const report = judgeDrift(packet, changedFiles(dir, base), options.judgement);
  refuseIdleJudgement(report, options.judgement);
  const head = headCommit(dir) ?? null;
  await store.addEvent(
    taskId,
    'drift',
    {
      command: options.command,
      base,
      head,
      clean: report.clean,
      changes: report.changes.map(c => ({ path: c.path, status: c.status, rule: c.rule, kind: c.kind, why: c.why })),
    },
    actor,
  );

  let escalation: Escalation | null = null;
  if (report.escalations.length) {
    const project = path
      .relative(repoRoot(dir) ?? dir, dir)
      .split(path.sep)
      .join('/');
    const crossed = report.escalations.map(c => crossing(c, packet, options.governance, project));
    const raised = await store.escalate({
      taskId,
      reason: `drift rule 2: ${crossed.map(c => `${c.path} (${c.kind === 'needed' ? 'needed, outside ownership' : c.boundary})`).join(', ')}`,
      crossed,
      paths: report.changes.map(c => c.path),
      base,
      head,
      stopConditions: packet.stop_conditions,
      createdBy: actor,
    });
    escalation = raised.escalation;
  }

  const proposed: Array<{ id: string; path: string; ownerLane: string }> = [];
  for (const change of report.followUps) {
    const id = `${taskId}-FU-${sha256(change.path).slice(0, 8)}`;
    if (await store.getTask(id)) continue;
    const followUp = followUpPacket(packet, change, {
      id,
      governance: options.governance,
      governanceFile: options.governanceFile,
      head,
    });
    await store.createTask(
      {
        id,
        title: `follow-up of ${taskId}: the change to ${change.path}`,
        ownerLane: followUp.owner_lane,
        trackId: followUp.track_id,
        origin: taskId,
        packet: followUp as unknown as Record<string, unknown>,
        packetDigest: packetDigest(followUp),
        reason: `proposed by the drift check of ${taskId}: ${change.path} changed outside its ownership and is not needed for it`,
      },
      actor,
    );
    await store.addEvent(taskId, 'follow-up', { task: id, path: change.path }, actor);
    proposed.push({ id, path: change.path, ownerLane: followUp.owner_lane });
  }
  return { ...report, base, head, escalated: escalation?.moved ?? false, escalation, proposed };
}

/**
 * A --needed or --unrelated glob that judges no change outside ownership is a mistake the worker
 * would not see (`./fixtures/**`, a folder without its `/**`): the change it meant stays rule 3
 * and proposes a follow-up, or an escalation meant is never raised. Refused before anything is recorded.
 */
function refuseIdleJudgement(report: DriftReport, judgement: DriftJudgement): void {
  const outside = report.changes.filter(c => c.kind === 'needed' || c.kind === 'unrelated' || c.kind === 'not-needed');
  const given = [
    ...(judgement.needed ?? []).map(glob => ({ flag: '--needed', glob })),
    ...(judgement.unrelated ?? []).map(glob => ({ flag: '--unrelated', glob })),
  ];
  for (const { flag, glob } of given) {
    const matches = compileGlob(glob);
    if (outside.some(c => matches(c.path))) continue;
    const shape = globSchema.safeParse(glob).error?.issues[0]?.message;
    throw new PackgateError(
      'INPUT_INVALID',
      `${flag} "${glob}" matches no change outside the packet's ownership${shape ? `: it ${shape}` : ''}; nothing recorded`,
      {
        hint: outside.length
          ? `the changes outside it (paths from the project's folder, as the packet's globs): ${outside.map(c => c.path).join(', ')}`
          : `every change is owned by the packet or under its must_not_touch: drop ${flag}`,
      },
    );
  }
}

/** A rule 2 change as the escalation records it: the boundary it crossed, and whose decision it needs. */
function crossing(
  change: JudgedChange,
  packet: ContextPacket,
  governance: Governance | undefined,
  project: string,
): EscalationCrossing {
  const lane = laneOfPath(governance, change.path)?.name ?? null;
  if (change.kind === 'must-not-touch')
    return { path: change.path, kind: 'must-not-touch', boundary: `must_not_touch ${change.glob}`, lane };
  if (change.kind === 'outside-project')
    return { path: change.path, kind: 'outside-project', boundary: `the project's folder (${project}/)`, lane: null };
  return { path: change.path, kind: 'needed', boundary: `owned_files (${packet.owned_files.join(', ')})`, lane };
}
