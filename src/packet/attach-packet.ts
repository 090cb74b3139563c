import { PackgateError } from '../diagnostics/errors.ts';
import type { ContextPacket } from './packet-schema.ts';
import { RELEASE_BLOCKING_KINDS, type Task } from '../store/queue-schema.ts';
import { sha256 } from '../store/blobs.ts';
import type { QueueStore } from '../store/queue-store.ts';

/** The packet's digest: SHA-256 of its JSON with keys sorted, so the same packet always has the same one. */
export function packetDigest(packet: ContextPacket): string {
  return sha256(canonicalJson(packet));
}

/**
 * Puts a checked packet on its task: a new task starts ready; a proposed one (a follow-up drift
 * proposed) becomes ready; a task that already has a packet gets the new one only with `replace`.
 */
export async function attachPacket(
  store: QueueStore,
  packet: ContextPacket,
  actor: string,
  /** `holdReason`: why its release hold holds, when the task says better than its kind (a skipped coverage's reason). */
  options: { replace: boolean; holdReason?: string },
): Promise<{ task: Task; created: boolean }> {
  const update = {
    packet: packet as unknown as Record<string, unknown>,
    digest: packetDigest(packet),
    title: titleOf(packet.goal),
    kind: packet.kind,
    ownerLane: packet.owner_lane,
    trackId: packet.track_id,
  };
  const existing = await store.getTask(packet.task_id);
  if (existing?.hasPacket && !options.replace)
    throw new PackgateError('TASK_EXISTS', `task ${packet.task_id} already has a packet (it is ${existing.state})`, {
      hint: `to change it, edit the packet file and run: packgate packet attach <file>`,
    });
  const task = existing
    ? await store.setPacket(packet.task_id, update, actor, { readyIfProposed: true })
    : await store.createTask(
        { id: packet.task_id, ...update, packetDigest: update.digest, state: 'ready', reason: 'packet attached' },
        actor,
      );
  if (RELEASE_BLOCKING_KINDS.has(packet.kind) && task.state !== 'done')
    await store.openReleaseHold({
      taskId: task.id,
      pack: packet.workflow_regression_pack,
      reason: options.holdReason ?? HOLD_REASONS[packet.kind] ?? `an open ${packet.kind} task`,
      createdBy: actor,
    });
  return { task, created: !existing };
}

/** Why a task of a release-blocking kind holds its pack's releases, as a release gate names it. */
const HOLD_REASONS: Partial<Record<ContextPacket['kind'], string>> = {
  bugfix: 'a bug fix whose regression coverage is not accepted in review yet',
  coverage: 'regression coverage missing at the layer that owns the defect',
};

function titleOf(goal: string): string {
  const line = goal.trim().split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
