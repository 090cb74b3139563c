import { PackgateError } from '../diagnostics/errors.ts';
import { redactDeep } from '../evidence/redact.ts';
import { runProblemSchema } from '../schema/verdict.ts';
import type { BlobStore } from './blobs.ts';
import type { EvidenceRef, GateRun, GateRunPack, NewGateRun } from './queue-schema.ts';
import type { GateRunFilter, RecordedGateRun } from './queue-store.ts';
import { byteOrder, limit, type SqlDatabase, type SqlExecutor, storableJson, Where } from './sql.ts';
import type { StoreContext } from './store-context.ts';
import { currentTask } from './task-rows.ts';

/** Gate runs with their per-pack results and evidence, which points by digest into the blob store. */
export class GateRunRepository {
  constructor(
    private readonly context: StoreContext,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * Records a run whose evidence is already in the blob store (EVIDENCE_INVALID otherwise). One run
   * is one record: a subject digest the store holds already gives back that record, created false.
   */
  async record(input: NewGateRun): Promise<RecordedGateRun> {
    const { db, clock, redact } = this.context;
    const run = redactDeep(input, redact);
    for (const file of run.evidence)
      if (!(await this.blobs.has(file.digest)))
        throw new PackgateError(
          'EVIDENCE_INVALID',
          `evidence ${file.path} (sha256 ${file.digest}) is not in the store`,
          { hint: 'put its content in the store before recording the run' },
        );
    let written: { id: number; created: boolean };
    try {
      written = await db.transaction(async tx => {
        if (run.taskId) await currentTask(tx, run.taskId);
        const same = await sameRun(tx, run.subjectDigest);
        if (same !== undefined) return { id: same, created: false };
        return { id: await writeRun(tx, run, clock.stamp()), created: true };
      });
    } catch (error) {
      // Two writers recording one run at once: the unique index lets one commit, the other finds it.
      const same = db.isUniqueViolation(error) ? await sameRun(db, run.subjectDigest) : undefined;
      if (same === undefined) throw error;
      written = { id: same, created: false };
    }
    const [stored] = await readRuns(db, { id: written.id });
    if (!written.created && run.taskId && stored.taskId !== run.taskId) throw recordedElsewhere(stored, run.taskId);
    return { run: stored, created: written.created };
  }

  /**
   * Adds files a run published after it was recorded (its attestation, the reports written after the
   * gate) to its evidence, each already in the blob store. A path it has already keeps its first
   * copy: a folder changed since, recorded again, does not overwrite what the run published.
   * GATE_RUN_UNKNOWN for a run the store does not hold.
   */
  async addFiles(runId: number, files: readonly EvidenceRef[]): Promise<GateRun> {
    const { db } = this.context;
    for (const file of files)
      if (!(await this.blobs.has(file.digest)))
        throw new PackgateError(
          'EVIDENCE_INVALID',
          `evidence ${file.path} (sha256 ${file.digest}) is not in the store`,
          {
            hint: 'put its content in the store before adding it to the run',
          },
        );
    await db.transaction(async tx => {
      if (!(await tx.get('SELECT id FROM gate_runs WHERE id = ?', [runId])))
        throw new PackgateError('GATE_RUN_UNKNOWN', `no gate run #${runId} in the store`, {
          hint: 'list the recorded runs with `packgate task show <task>`',
        });
      for (const file of files) {
        if (await tx.get('SELECT 1 AS found FROM evidence WHERE run_id = ? AND path = ?', [runId, file.path])) continue;
        await tx.run('INSERT INTO evidence (run_id, path, pack, digest, size) VALUES (?, ?, ?, ?, ?)', [
          runId,
          file.path,
          file.pack,
          file.digest,
          file.size,
        ]);
      }
    });
    const [stored] = await readRuns(db, { id: runId });
    return stored;
  }

  /** Newest first. */
  list(filter: GateRunFilter = {}): Promise<GateRun[]> {
    return readRuns(this.context.db, filter);
  }
}

/** The id of the run recorded with this subject digest, if any. */
async function sameRun(db: SqlExecutor, subjectDigest: string | null): Promise<number | undefined> {
  if (!subjectDigest) return undefined;
  const row = await db.get<{ id: number }>('SELECT id FROM gate_runs WHERE subject_digest = ?', [subjectDigest]);
  return row ? Number(row.id) : undefined;
}

function recordedElsewhere(run: GateRun, taskId: string): PackgateError {
  const kind = run.narrowed.length ? 'a narrowed run' : 'a release-gate run';
  const where = run.taskId ? `on task ${run.taskId}` : `(${kind} of ${run.environment})`;
  return new PackgateError(
    'INPUT_INVALID',
    `this gate run is recorded already, as gate run #${run.id} ${where}, not on task ${taskId}: one run is one record`,
    { hint: `to prove task ${taskId}, run the gate again with TASK_ID=${taskId}` },
  );
}

/**
 * Where a run was recorded, as the terminal says it: `on task T-1`, `as a release-gate run of demo`,
 * or, for a run of part of the environment, `as a narrowed run of local (...), not a release-gate run`.
 */
export function recordedAs(run: Pick<GateRun, 'taskId' | 'environment' | 'narrowed'>): string {
  if (run.taskId) return `on task ${run.taskId}`;
  if (!run.narrowed.length) return `as a release-gate run of ${run.environment}`;
  return `as a narrowed run of ${run.environment} (${run.narrowed.join('; ')}), not a release-gate run`;
}

/** What narrowed a run, from its `narrowed` column: NULL is a whole run (or one recorded before the store kept it). */
export function narrowedOf(column: string | null): string[] {
  return column ? (JSON.parse(column) as string[]) : [];
}

/** Writes a gate run, its packs and its evidence references; returns the run's id. */
async function writeRun(tx: SqlExecutor, run: NewGateRun, recordedAt: string): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO gate_runs (task_id, environment, stage, verdict, git_commit, git_dirty, command, projects, narrowed,
       started_at, duration_ms, recorded_at, recorded_by, verdict_digest, subject_digest, problems)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      run.taskId,
      run.environment,
      run.stage,
      run.verdict,
      run.gitCommit,
      run.gitDirty ? 1 : 0,
      run.command,
      storableJson(run.projects),
      // NULL for a whole run: release-gate reads select `narrowed IS NULL`.
      run.narrowed?.length ? storableJson(run.narrowed) : null,
      run.startedAt,
      Math.round(run.durationMs),
      recordedAt,
      run.recordedBy,
      run.verdictDigest,
      run.subjectDigest,
      storableJson(run.problems),
    ],
  );
  const id = Number(row!.id);
  for (const pack of run.packs)
    await tx.run(
      'INSERT INTO gate_run_packs (run_id, pack, status, policy, blocks, reason, missing_tests) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        id,
        pack.pack,
        pack.status,
        pack.policy,
        pack.blocks ? 1 : 0,
        pack.reason,
        pack.missingTests?.length ? storableJson(pack.missingTests) : null,
      ],
    );
  for (const file of run.evidence)
    await tx.run('INSERT INTO evidence (run_id, path, pack, digest, size) VALUES (?, ?, ?, ?, ?)', [
      id,
      file.path,
      file.pack,
      file.digest,
      file.size,
    ]);
  return id;
}

type RunRow = {
  id: number;
  task_id: string | null;
  environment: string;
  stage: GateRun['stage'];
  verdict: GateRun['verdict'];
  git_commit: string | null;
  git_dirty: number;
  command: string;
  projects: string;
  narrowed: string | null;
  started_at: string;
  duration_ms: number;
  recorded_at: string;
  recorded_by: string;
  verdict_digest: string;
  subject_digest: string | null;
  problems: string;
};

/** Gate runs, newest first, with their packs and evidence: each run's by pack and by path, in byte order. */
export async function readRuns(db: SqlDatabase, filter: GateRunFilter): Promise<GateRun[]> {
  const where = new Where()
    .when(filter.id !== undefined, 'id = ?', filter.id!)
    .when(filter.taskId, 'task_id = ?', filter.taskId!)
    .when(filter.environment, 'environment = ?', filter.environment!)
    .when(filter.subjectDigest, 'subject_digest = ?', filter.subjectDigest!);
  const runs = await db.all<RunRow>(
    `SELECT * FROM gate_runs${where} ORDER BY id DESC${limit(filter.limit)}`,
    where.params,
  );
  if (!runs.length) return [];
  const ids = runs.map(r => Number(r.id));
  const marks = ids.map(() => '?').join(', ');
  const packs = await db.all<{
    run_id: number;
    pack: string;
    status: GateRunPack['status'];
    policy: GateRunPack['policy'];
    blocks: number;
    reason: string;
    missing_tests: string | null;
  }>(`SELECT * FROM gate_run_packs WHERE run_id IN (${marks}) ORDER BY run_id, ${byteOrder(db.dialect, 'pack')}`, ids);
  const evidence = await db.all<{ run_id: number; path: string; pack: string | null; digest: string; size: number }>(
    `SELECT * FROM evidence WHERE run_id IN (${marks}) ORDER BY run_id, ${byteOrder(db.dialect, 'path')}`,
    ids,
  );
  return runs.map(r => {
    const id = Number(r.id);
    return {
      id,
      taskId: r.task_id,
      environment: r.environment,
      stage: r.stage,
      verdict: r.verdict,
      gitCommit: r.git_commit,
      gitDirty: Number(r.git_dirty) === 1,
      command: r.command,
      projects: JSON.parse(r.projects) as string[],
      narrowed: narrowedOf(r.narrowed),
      startedAt: r.started_at,
      durationMs: Number(r.duration_ms),
      recordedAt: r.recorded_at,
      recordedBy: r.recorded_by,
      verdictDigest: r.verdict_digest,
      subjectDigest: r.subject_digest ?? null,
      problems: runProblemSchema.array().parse(JSON.parse(r.problems)),
      packs: packs
        .filter(p => Number(p.run_id) === id)
        .map(p => ({
          pack: p.pack,
          status: p.status,
          policy: p.policy,
          blocks: Number(p.blocks) === 1,
          reason: p.reason,
          ...(p.missing_tests ? { missingTests: JSON.parse(p.missing_tests) as string[] } : {}),
        })),
      evidence: evidence
        .filter(e => Number(e.run_id) === id)
        .map(e => ({ path: e.path, pack: e.pack, digest: e.digest, size: Number(e.size) })),
    };
  });
}
