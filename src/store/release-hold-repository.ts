import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep } from '../evidence/redact.ts';
import type { EventRepository } from './event-repository.ts';
import {
  releaseHoldViewSchema,
  type HoldClearRequest,
  type NewReleaseHold,
  type ReleaseHold,
  type ReleaseHoldView,
} from './release-hold-schema.ts';
import type { StoreContext } from './store-context.ts';
import { currentTask } from './task-rows.ts';

type HoldRow = {
  id: number;
  task_id: string;
  pack: string;
  reason: string;
  since: string;
  created_by: string;
  cleared_as: 'coverage' | 'risk' | null;
  cleared_at: string | null;
  cleared_by: string | null;
  clear_reason: string | null;
  risk_expires_at: string | null;
};

type HoldViewRow = HoldRow & {
  title: string;
  state: ReleaseHoldView['task']['state'];
  kind: ReleaseHoldView['task']['kind'];
  owner_lane: string | null;
};

export type ReleaseHoldFilter = { taskId?: string; activeOnly?: boolean };

/** Release holds: opened with the task that holds, cleared by accepted coverage or an accepted risk. */
export class ReleaseHoldRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly events: EventRepository,
  ) {}

  /** Opens a hold of the task on the pack; an uncleared one already there is returned as it is. */
  open(input: NewReleaseHold): Promise<ReleaseHold> {
    const { db, clock, redact } = this.context;
    const hold = redactDeep(input, redact);
    return db.transaction(async tx => {
      await currentTask(tx, hold.taskId, tx.forUpdate);
      const open = await tx.get<HoldRow>(
        'SELECT * FROM release_holds WHERE task_id = ? AND pack = ? AND cleared_at IS NULL',
        [hold.taskId, hold.pack],
      );
      if (open) return toHold(open);
      const at = clock.stamp();
      const row = await tx.get<{ id: number }>(
        `INSERT INTO release_holds (task_id, pack, reason, since, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id`,
        [hold.taskId, hold.pack, hold.reason, at, hold.createdBy],
      );
      const id = Number(row!.id);
      await this.events.record(
        tx,
        hold.taskId,
        'release-hold',
        { hold: id, action: 'opened', pack: hold.pack, reason: hold.reason },
        hold.createdBy,
        at,
      );
      return {
        ...hold,
        id,
        since: at,
        clearedAs: null,
        clearedAt: null,
        clearedBy: null,
        clearReason: null,
        riskExpiresAt: null,
      };
    });
  }

  /**
   * Clears the task's holds: accepted coverage clears them for good; an accepted risk until its
   * expiry (and may be accepted again once expired). NO_RELEASE_HOLD when the task has none to clear.
   */
  clear(taskId: string, request: HoldClearRequest): Promise<ReleaseHold[]> {
    const { db, clock, redact } = this.context;
    if (request.as === 'risk' && !request.expiresAt)
      throw new PackgateError('INPUT_INVALID', 'an accepted risk needs the date it expires');
    const reason = redactDeep(request.reason, redact);
    return db.transaction(async tx => {
      await currentTask(tx, taskId, tx.forUpdate);
      const rows = await tx.all<HoldRow>(
        `SELECT * FROM release_holds WHERE task_id = ? AND (cleared_as IS NULL OR cleared_as = 'risk') ORDER BY id`,
        [taskId],
      );
      if (!rows.length)
        throw new PackgateError('NO_RELEASE_HOLD', `task ${taskId} holds no release`, {
          hint: 'list the holds with: packgate review holds',
        });
      const at = clock.stamp();
      const expiresAt = request.as === 'risk' ? request.expiresAt! : null;
      await tx.run(
        `UPDATE release_holds SET cleared_as = ?, cleared_at = ?, cleared_by = ?, clear_reason = ?, risk_expires_at = ?
         WHERE task_id = ? AND (cleared_as IS NULL OR cleared_as = 'risk')`,
        [request.as, at, request.actor, reason, expiresAt, taskId],
      );
      await this.events.record(
        tx,
        taskId,
        'release-hold',
        {
          action: request.as === 'risk' ? 'risk-accepted' : 'coverage-accepted',
          holds: rows.map(r => Number(r.id)),
          reason,
          ...(expiresAt ? { expiresAt } : {}),
        },
        request.actor,
        at,
      );
      return rows.map(r =>
        toHold({
          ...r,
          cleared_as: request.as,
          cleared_at: at,
          cleared_by: request.actor,
          clear_reason: reason,
          risk_expires_at: expiresAt,
        }),
      );
    });
  }

  /** Holds with their tasks, oldest first; `activeOnly`: those that hold now, by the store's clock. */
  async list(filter: ReleaseHoldFilter = {}): Promise<ReleaseHoldView[]> {
    const now = this.context.clock.stamp();
    const rows = await this.context.db.all<HoldViewRow>(
      `SELECT r.*, t.title, t.state, t.kind, t.owner_lane FROM release_holds r JOIN tasks t ON t.id = r.task_id
       ${filter.taskId ? 'WHERE r.task_id = ?' : ''} ORDER BY r.id`,
      filter.taskId ? [filter.taskId] : [],
    );
    const views = rows.map(r =>
      releaseHoldViewSchema.parse({
        ...toHold(r),
        task: { title: r.title, state: r.state, kind: r.kind, ownerLane: r.owner_lane },
        active: r.cleared_as === null || (r.cleared_as === 'risk' && r.risk_expires_at! <= now),
      }),
    );
    return filter.activeOnly ? views.filter(v => v.active) : views;
  }
}

function toHold(r: HoldRow): ReleaseHold {
  return {
    id: Number(r.id),
    taskId: r.task_id,
    pack: r.pack,
    reason: r.reason,
    since: r.since,
    createdBy: r.created_by,
    clearedAs: r.cleared_as,
    clearedAt: r.cleared_at,
    clearedBy: r.cleared_by,
    clearReason: r.clear_reason,
    riskExpiresAt: r.risk_expires_at,
  };
}
