import type { TaskKind, TaskState, TaskSummary } from './queue-schema.ts';
import type { StoreClock } from './store-context.ts';

/** The columns of `task list`: a task and its hold, without the packet. */
export const SUMMARY_COLUMNS = `t.id, t.title, t.state, t.kind, t.owner_lane, t.track_id, t.origin, t.legacy_reason, t.created_at, t.updated_at,
  CASE WHEN t.packet IS NULL THEN 0 ELSE 1 END AS has_packet,
  h.session_id, h.claimed_at, s.heartbeat_at AS session_heartbeat`;
export const SUMMARY_FROM = `tasks t LEFT JOIN holds h ON h.task_id = t.id LEFT JOIN sessions s ON s.id = h.session_id`;

export type SummaryRow = {
  id: string;
  title: string;
  state: TaskState;
  kind: TaskKind;
  owner_lane: string | null;
  track_id: string | null;
  origin: string | null;
  legacy_reason: string | null;
  created_at: string;
  updated_at: string;
  has_packet: number;
  session_id: string | null;
  claimed_at: string | null;
  session_heartbeat: string | null;
};

/** A summary row with the rest of the task and its hold's workspace: what `task show` reads. */
export type TaskRow = SummaryRow & {
  packet: string | null;
  packet_digest: string | null;
  created_by: string;
  worktree: string | null;
  branch: string | null;
  base_commit: string | null;
};

/** A row as `task list` shows it; whether its hold is stale is judged now, by the store's clock. */
export function toSummary(row: SummaryRow, clock: StoreClock): TaskSummary {
  return {
    id: row.id,
    title: row.title,
    state: row.state,
    kind: row.kind,
    ownerLane: row.owner_lane,
    trackId: row.track_id,
    origin: row.origin,
    hasPacket: Number(row.has_packet) === 1,
    legacyReason: row.legacy_reason ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    holder: row.session_id
      ? {
          session: row.session_id,
          since: row.claimed_at!,
          heartbeatAt: row.session_heartbeat!,
          stale: clock.isStale(row.session_heartbeat!),
        }
      : null,
  };
}
