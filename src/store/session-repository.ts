import os from 'node:os';
import { PackgateError } from '../diagnostics/errors.ts';
import type { Session } from './queue-schema.ts';
import type { SessionInfo } from './queue-store.ts';
import { byteOrder, type SqlExecutor } from './sql.ts';
import type { StoreContext } from './store-context.ts';

type SessionRow = {
  id: string;
  actor: string;
  host: string;
  pid: number | null;
  started_at: string;
  heartbeat_at: string;
};

/** Worker sessions: who they are, when they last proved alive, and which tasks they hold. */
export class SessionRepository {
  constructor(private readonly context: StoreContext) {}

  async register(session: SessionInfo): Promise<Session> {
    await this.context.db.transaction(tx => this.touch(tx, session));
    return (await this.get(session.id))!;
  }

  async heartbeat(sessionId: string): Promise<Session> {
    const changed = await this.context.db.run('UPDATE sessions SET heartbeat_at = ? WHERE id = ?', [
      this.context.clock.stamp(),
      sessionId,
    ]);
    if (!changed) throw unknownSession(sessionId);
    return (await this.get(sessionId))!;
  }

  /**
   * Ends a session: it leaves the registry. One that still holds tasks is refused: its holds must be
   * handed off or released first, or they would be left with nobody behind them.
   */
  async end(sessionId: string): Promise<void> {
    await this.context.db.transaction(async tx => {
      // Locked first: a claim by this session meanwhile (which refreshes the row) waits for the end, then registers it anew.
      if (!(await tx.get(`SELECT id FROM sessions WHERE id = ?${tx.forUpdate}`, [sessionId])))
        throw unknownSession(sessionId);
      const holds = await this.holds(tx, sessionId);
      if (holds.length)
        throw new PackgateError(
          'TASK_HELD',
          `session ${sessionId} still holds ${holds.map(h => h.task_id).join(', ')}: it cannot end`,
          { hint: 'hand the tasks off or release them first: packgate task release <id>' },
        );
      await tx.run('DELETE FROM sessions WHERE id = ?', [sessionId]);
    });
  }

  async list(): Promise<Session[]> {
    const { db } = this.context;
    const rows = await db.all<SessionRow>(
      `SELECT * FROM sessions ORDER BY ${byteOrder(db.dialect, 'started_at')}, ${byteOrder(db.dialect, 'id')}`,
    );
    const holds = await db.all<{ task_id: string; session_id: string }>(
      `SELECT task_id, session_id FROM holds ORDER BY ${byteOrder(db.dialect, 'task_id')}`,
    );
    return rows.map(row =>
      this.toSession(
        row,
        holds.filter(h => h.session_id === row.id).map(h => h.task_id),
      ),
    );
  }

  /** Refreshes the session's heartbeat inside the caller's transaction, registering it if it is new. */
  async touch(tx: SqlExecutor, session: SessionInfo): Promise<void> {
    const at = this.context.clock.stamp();
    const refreshed = await tx.run('UPDATE sessions SET heartbeat_at = ? WHERE id = ?', [at, session.id]);
    if (!refreshed)
      await tx.run('INSERT INTO sessions (id, actor, host, pid, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)', [
        session.id,
        session.actor,
        session.host || os.hostname(),
        session.pid ?? null,
        at,
        at,
      ]);
  }

  private async get(id: string): Promise<Session | undefined> {
    const { db } = this.context;
    const row = await db.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', [id]);
    if (!row) return undefined;
    const holds = await this.holds(db, id);
    return this.toSession(
      row,
      holds.map(h => h.task_id),
    );
  }

  /** The tasks the session holds, by id in byte order (as SQLite compares, whatever PostgreSQL's collation). */
  private holds(db: SqlExecutor, sessionId: string): Promise<Array<{ task_id: string }>> {
    return db.all<{ task_id: string }>(
      `SELECT task_id FROM holds WHERE session_id = ? ORDER BY ${byteOrder(this.context.db.dialect, 'task_id')}`,
      [sessionId],
    );
  }

  private toSession(row: SessionRow, holds: string[]): Session {
    return {
      id: row.id,
      actor: row.actor,
      host: row.host,
      pid: row.pid === null ? null : Number(row.pid),
      startedAt: row.started_at,
      heartbeatAt: row.heartbeat_at,
      stale: this.context.clock.isStale(row.heartbeat_at),
      holds,
    };
  }
}

function unknownSession(id: string): PackgateError {
  return new PackgateError('SESSION_UNKNOWN', `no session ${id} in the queue store`, {
    hint: 'sessions are registered by: packgate task start',
  });
}
