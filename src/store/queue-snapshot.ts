import type { TaskEventKind, TaskKind, TaskState } from './queue-schema.ts';
import { byteOrder } from './sql.ts';
import type { StoreContext } from './store-context.ts';

/** A task as queue health judges it: no packet, only the pack it names. */
export type SnapshotTask = {
  id: string;
  title: string;
  kind: TaskKind;
  state: TaskState;
  ownerLane: string | null;
  createdAt: string;
  legacyReason: string | null;
  /** Marked new by hand (`queue mark-legacy --clear`): its debt is new even if created before the cutoff. */
  debtNew: boolean;
  /** The packet's workflow_regression_pack, when it has a packet. */
  pack: string | null;
};

/**
 * Everything queue health reads, in a fixed handful of queries whatever the number of tasks (no
 * query per task): tasks, which evidence kinds each has, the bodies of the few events whose content
 * matters, in-progress clocks, the packs gate runs covered, and open escalations.
 */
export type QueueSnapshot = {
  /** The store's clock when it was read; sessions silent since `staleCutoff` are stale. */
  now: string;
  staleCutoff: string;
  tasks: SnapshotTask[];
  /** Per task, the event kinds it has at least one of (handoff, fix-record, regression-proof). */
  eventKinds: Array<{ taskId: string; kind: TaskEventKind }>;
  /** Accepted reviews, by task (only of bug fixes: the other kinds need none for their debt rules). */
  acceptedReviews: string[];
  /** Every `watch` event body, oldest first. */
  watchEvents: Array<{ taskId: string; body: Record<string, unknown> }>;
  /** Session heartbeats, to tell a dead watcher from a live one. */
  sessions: Array<{ id: string; heartbeatAt: string }>;
  /** In-progress tasks: when they last went in_progress, and their last checkpoint. */
  inProgress: Array<{ taskId: string; since: string; lastCheckpoint: string | null }>;
  /** (task, pack) pairs a gate run recorded on the task covered. */
  gateRunPacks: Array<{ taskId: string; pack: string }>;
  /** The latest escalation of each task, when the task has not moved since (no answer yet). */
  openEscalations: Array<{
    taskId: string;
    id: number;
    source: string;
    to: string | null;
    reason: string;
    createdAt: string;
  }>;
};

const EVIDENCE_KINDS: readonly TaskEventKind[] = ['handoff', 'fix-record', 'regression-proof'];

/** Reads the queue snapshot; each query scans one table once (or joins through an index). */
export async function readQueueSnapshot(context: StoreContext): Promise<QueueSnapshot> {
  const { db, clock } = context;
  const tasks = await db.all<{
    id: string;
    title: string;
    kind: TaskKind;
    state: TaskState;
    owner_lane: string | null;
    created_at: string;
    legacy_reason: string | null;
    debt_new: number;
    pack: string | null;
  }>(
    `SELECT id, title, kind, state, owner_lane, created_at, legacy_reason, debt_new, workflow_pack AS pack FROM tasks
     ORDER BY ${byteOrder(db.dialect, 'created_at')}, ${byteOrder(db.dialect, 'id')}`,
  );
  const eventKinds = await db.all<{ task_id: string; kind: TaskEventKind }>(
    `SELECT DISTINCT task_id, kind FROM task_events WHERE kind IN (${EVIDENCE_KINDS.map(() => '?').join(', ')})`,
    EVIDENCE_KINDS,
  );
  const reviews = await db.all<{ task_id: string; body: string }>(
    `SELECT e.task_id, e.body FROM task_events e JOIN tasks t ON t.id = e.task_id
     WHERE e.kind = 'review' AND t.kind = 'bugfix'`,
  );
  const watches = await db.all<{ task_id: string; body: string }>(
    "SELECT task_id, body FROM task_events WHERE kind = 'watch' ORDER BY id",
  );
  const sessions = await db.all<{ id: string; heartbeat_at: string }>('SELECT id, heartbeat_at FROM sessions');
  const inProgress = await db.all<{ task_id: string; since: string | null; last_checkpoint: string | null }>(
    `SELECT t.id AS task_id,
       (SELECT MAX(r.at) FROM transitions r WHERE r.task_id = t.id AND r.to_state = 'in_progress') AS since,
       (SELECT MAX(c.created_at) FROM checkpoints c WHERE c.task_id = t.id) AS last_checkpoint
     FROM tasks t WHERE t.state = 'in_progress'`,
  );
  const gateRunPacks = await db.all<{ task_id: string; pack: string }>(
    `SELECT DISTINCT g.task_id, p.pack FROM gate_runs g JOIN gate_run_packs p ON p.run_id = g.id
     WHERE g.task_id IS NOT NULL`,
  );
  const escalations = await db.all<{
    task_id: string;
    id: number;
    source: string;
    escalated_to: string | null;
    reason: string;
    created_at: string;
  }>(
    // Answered: the task moved since (other than into escalated by the escalation itself). An
    // escalation of a task that could not move to escalated (a ready one) waits for a move too.
    `SELECT e.task_id, e.id, e.source, e.escalated_to, e.reason, e.created_at FROM escalations e
     WHERE e.id = (SELECT MAX(l.id) FROM escalations l WHERE l.task_id = e.task_id)
       AND NOT EXISTS (SELECT 1 FROM transitions tr WHERE tr.task_id = e.task_id AND tr.at > e.created_at
                       AND tr.to_state <> 'escalated')`,
  );
  return {
    now: clock.stamp(),
    staleCutoff: clock.staleCutoff(),
    tasks: tasks.map(t => ({
      id: t.id,
      title: t.title,
      kind: t.kind,
      state: t.state,
      ownerLane: t.owner_lane,
      createdAt: t.created_at,
      legacyReason: t.legacy_reason,
      debtNew: Number(t.debt_new) === 1,
      pack: t.pack ?? null,
    })),
    eventKinds: eventKinds.map(e => ({ taskId: e.task_id, kind: e.kind })),
    acceptedReviews: reviews
      .filter(r => (JSON.parse(r.body) as { decision?: string }).decision === 'accepted')
      .map(r => r.task_id),
    watchEvents: watches.map(w => ({ taskId: w.task_id, body: JSON.parse(w.body) as Record<string, unknown> })),
    sessions: sessions.map(s => ({ id: s.id, heartbeatAt: s.heartbeat_at })),
    // A task imported in progress has its import as its one transition, so `since` is always there.
    inProgress: inProgress.map(r => ({
      taskId: r.task_id,
      since: r.since ?? '',
      lastCheckpoint: r.last_checkpoint,
    })),
    gateRunPacks: gateRunPacks.map(g => ({ taskId: g.task_id, pack: g.pack })),
    openEscalations: escalations.map(e => ({
      taskId: e.task_id,
      id: Number(e.id),
      source: e.source,
      to: e.escalated_to,
      reason: e.reason,
      createdAt: e.created_at,
    })),
  };
}
