import { PackgateError } from '../diagnostics/errors.ts';
import type { EventRepository } from './event-repository.ts';
import { noSessionGivenHint } from './no-session-hint.ts';
import type { Transition } from './queue-schema.ts';
import type { ClaimRequest, ReleaseRequest } from './queue-store.ts';
import type { SessionRepository } from './session-repository.ts';
import { byteOrder } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import { currentHold, currentTask, type HoldRow } from './task-rows.ts';
import { assertLegalTransition } from './task-states.ts';
import type { TransitionRepository } from './transition-repository.ts';

/**
 * Holds: a session's claim on an in_progress task. A claim locks the task's row before it looks at
 * the hold (`FOR UPDATE`; a SQLite writer has the whole database), and a hold's key is its task, so
 * of two sessions claiming one task exactly one commits: the other waits, then finds the hold (or
 * fails to insert its own) and gets TASK_HELD.
 */
export class HoldRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly transitions: TransitionRepository,
    private readonly sessions: SessionRepository,
    private readonly events: EventRepository,
  ) {}

  claim(taskId: string, request: ClaimRequest): Promise<Transition> {
    const { db, clock } = this.context;
    return db.transaction(async tx => {
      const current = await currentTask(tx, taskId, tx.forUpdate);
      const hold = await currentHold(tx, taskId);
      if (hold && hold.session_id === request.session.id)
        throw new PackgateError('TASK_HELD', `task ${taskId} is already held by your session ${hold.session_id}`, {
          hint: 'carry on in its worktree',
        });
      if (hold && !clock.isStale(hold.heartbeat_at)) throw heldBy(taskId, hold);
      if (hold) {
        await this.transitions.move(tx, taskId, current, 'ready', 'packgate', staleReason(hold, clock.staleAfterMs));
        current.state = 'ready';
      }
      assertLegalTransition(taskId, current.state, 'in_progress');
      if (!current.packet_digest)
        throw new PackgateError('TRANSITION_ILLEGAL', `task ${taskId} has no packet; it cannot be started`, {
          hint: `write one: packgate packet new --task-id ${taskId} ...`,
        });
      await this.sessions.touch(tx, request.session);
      const at = clock.stamp();
      const workspace = {
        worktree: request.worktree ?? null,
        branch: request.branch ?? null,
        base: request.base ?? null,
      };
      try {
        await tx.run(
          'INSERT INTO holds (task_id, session_id, claimed_at, worktree, branch, base_commit) VALUES (?, ?, ?, ?, ?, ?)',
          [taskId, request.session.id, at, workspace.worktree, workspace.branch, workspace.base],
        );
      } catch (error) {
        if (db.isUniqueViolation(error)) throw heldBy(taskId, await currentHold(tx, taskId));
        throw error;
      }
      const moved = await tx.run(`UPDATE tasks SET state = 'in_progress', updated_at = ? WHERE id = ? AND state = ?`, [
        at,
        taskId,
        current.state,
      ]);
      if (moved !== 1) throw heldBy(taskId, await currentHold(tx, taskId));
      await this.events.record(tx, taskId, 'claim', { session: request.session.id, ...workspace }, request.actor, at);
      if (request.event)
        await this.events.record(tx, taskId, request.event.kind, request.event.body, request.actor, at);
      return this.transitions.record(tx, taskId, current.state, 'in_progress', request.actor, request.reason, at);
    });
  }

  release(taskId: string, request: ReleaseRequest): Promise<Transition> {
    return this.context.db.transaction(async tx => {
      const current = await currentTask(tx, taskId, tx.forUpdate);
      const hold = await currentHold(tx, taskId);
      if (!hold)
        throw new PackgateError('TRANSITION_ILLEGAL', `task ${taskId} is ${current.state}: no session holds it`);
      if (hold.session_id !== request.session && !request.force && !this.context.clock.isStale(hold.heartbeat_at))
        throw new PackgateError(
          'TASK_HELD',
          `task ${taskId} is held by session ${hold.session_id} (last heartbeat ${hold.heartbeat_at}), not by ${request.session ?? 'you'}`,
          {
            hint: request.session
              ? 'release it from that session, wait until its hold is stale, or pass --force with a reason'
              : noSessionGivenHint(
                  { taskId, session: hold.session_id, worktree: hold.worktree },
                  'wait until the hold is stale, or pass --force with a reason',
                ),
          },
        );
      return this.transitions.move(tx, taskId, current, request.to, request.actor, request.reason);
    });
  }

  releaseStale(actor: string): Promise<Array<{ taskId: string; session: string; heartbeatAt: string }>> {
    const { db, clock } = this.context;
    return db.transaction(async tx => {
      const stale = await tx.all<HoldRow>(
        `SELECT h.task_id, h.session_id, h.claimed_at, h.worktree, s.heartbeat_at FROM holds h JOIN sessions s ON s.id = h.session_id
         WHERE s.heartbeat_at < ? ORDER BY ${byteOrder(db.dialect, 'h.task_id')}`,
        [clock.staleCutoff()],
      );
      for (const hold of stale) {
        const current = await currentTask(tx, hold.task_id, tx.forUpdate);
        await this.transitions.move(tx, hold.task_id, current, 'ready', actor, staleReason(hold, clock.staleAfterMs));
      }
      return stale.map(h => ({ taskId: h.task_id, session: h.session_id, heartbeatAt: h.heartbeat_at }));
    });
  }
}

function heldBy(taskId: string, hold: HoldRow | undefined): PackgateError {
  return new PackgateError(
    'TASK_HELD',
    hold
      ? `task ${taskId} is held by session ${hold.session_id} since ${hold.claimed_at} (last heartbeat ${hold.heartbeat_at})`
      : `task ${taskId} was claimed by another session just now`,
    { hint: 'pick another task (packgate task next), or wait until that hold is released or stale' },
  );
}

function staleReason(hold: HoldRow, staleAfterMs: number): string {
  return `hold of session ${hold.session_id} released: no heartbeat since ${hold.heartbeat_at} (stale after ${Math.round(staleAfterMs / 1000)} s)`;
}
