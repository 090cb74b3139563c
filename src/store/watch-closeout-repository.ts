import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep } from '../evidence/redact.ts';
import type { BlobStore } from './blobs.ts';
import type { EventRepository } from './event-repository.ts';
import type { StoreContext } from './store-context.ts';
import { currentTask } from './task-rows.ts';
import {
  watchCloseoutSchema,
  type NewWatchCloseout,
  type WatchCloseout,
  type WatchCloseoutFilter,
} from './watch-closeout-schema.ts';
import { storableJson } from './sql.ts';

type CloseoutRow = {
  id: number;
  task_id: string;
  run_id: string;
  watcher: string;
  session_id: string | null;
  source: string;
  status: string;
  failure_class: string | null;
  lines: string;
  exit_code: number | null;
  signal: string | null;
  duration_ms: number | null;
  command: string | null;
  log_digest: string | null;
  log_path: string | null;
  verdict_digest: string | null;
  verdict: string | null;
  blocking_packs: string;
  started_at: string | null;
  created_at: string;
  created_by: string;
};

/** Closeouts of watched runs: one per run, written with the task's `watch` {phase: closed} event. */
export class WatchCloseoutRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly events: EventRepository,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * Records the closeout and the `watch` event pointing at it in one transaction: a run is closed
   * out whole or not at all. Its evidence (log, verdict) must be in the blob store already.
   */
  async close(input: NewWatchCloseout): Promise<WatchCloseout> {
    const { db, clock, redact } = this.context;
    const clean = redactDeep(input, redact);
    for (const digest of [clean.logDigest, clean.verdictDigest])
      if (digest && !(await this.blobs.has(digest)))
        throw new PackgateError(
          'EVIDENCE_INVALID',
          `evidence sha256 ${digest} of run ${clean.run} is not in the store`,
          {
            hint: 'put the log and verdict into the evidence store (store.blobs.put) before closing the run out',
          },
        );
    return db.transaction(async tx => {
      await currentTask(tx, clean.taskId, tx.forUpdate);
      const taken = await tx.get('SELECT id FROM watch_closeouts WHERE run_id = ?', [clean.run]);
      if (taken)
        throw new PackgateError('INPUT_INVALID', `watched run ${clean.run} is closed out already (#${taken.id})`, {
          hint: 'a run is closed out once; close another run with a run id of its own',
        });
      const at = clock.stamp();
      const row = await tx.get<{ id: number }>(
        `INSERT INTO watch_closeouts (task_id, run_id, watcher, session_id, source, status, failure_class, lines,
           exit_code, signal, duration_ms, command, log_digest, log_path, verdict_digest, verdict, blocking_packs,
           started_at, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          clean.taskId,
          clean.run,
          clean.watcher,
          clean.session,
          clean.source,
          clean.status,
          clean.class,
          storableJson(clean.lines),
          clean.exitCode,
          clean.signal,
          clean.durationMs === null ? null : Math.round(clean.durationMs),
          clean.command,
          clean.logDigest,
          clean.logPath,
          clean.verdictDigest,
          clean.verdict,
          storableJson(clean.blockingPacks),
          clean.startedAt,
          at,
          clean.createdBy,
        ],
      );
      const closeout: WatchCloseout = {
        ...clean,
        durationMs: clean.durationMs === null ? null : Math.round(clean.durationMs),
        id: Number(row!.id),
        createdAt: at,
      };
      await this.events.record(
        tx,
        clean.taskId,
        'watch',
        { phase: 'closed', run: clean.run, closeout: closeout.id, status: clean.status, class: clean.class },
        clean.createdBy,
        at,
      );
      return closeout;
    });
  }

  /** Closeouts, oldest first: of one task or watcher, or all of them. */
  async list(filter: WatchCloseoutFilter = {}): Promise<WatchCloseout[]> {
    const where: string[] = [];
    const params: string[] = [];
    for (const [column, value] of [
      ['task_id', filter.taskId],
      ['watcher', filter.watcher],
    ] as const)
      if (value) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    const rows = await this.context.db.all<CloseoutRow>(
      `SELECT * FROM watch_closeouts${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id` +
        (filter.limit ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : ''),
      params,
    );
    return rows.map(r =>
      watchCloseoutSchema.parse({
        id: Number(r.id),
        taskId: r.task_id,
        run: r.run_id,
        watcher: r.watcher,
        session: r.session_id,
        source: r.source,
        status: r.status,
        class: r.failure_class,
        lines: JSON.parse(r.lines),
        exitCode: r.exit_code === null ? null : Number(r.exit_code),
        signal: r.signal,
        durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
        command: r.command,
        logDigest: r.log_digest,
        logPath: r.log_path,
        verdictDigest: r.verdict_digest,
        verdict: r.verdict,
        blockingPacks: JSON.parse(r.blocking_packs),
        startedAt: r.started_at,
        createdAt: r.created_at,
        createdBy: r.created_by,
      }),
    );
  }
}
