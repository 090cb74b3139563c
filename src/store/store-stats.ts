import type { StoreStats } from './queue-store.ts';
import type { SqlExecutor } from './sql.ts';

/** Row counts of every table, for load tests and benchmarks. */
export async function countRows(db: SqlExecutor): Promise<StoreStats> {
  const count = async (table: string) =>
    Number((await db.get<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table}`))!.n);
  return {
    tasks: await count('tasks'),
    transitions: await count('transitions'),
    events: await count('task_events'),
    sessions: await count('sessions'),
    holds: await count('holds'),
    gateRuns: await count('gate_runs'),
    evidence: await count('evidence'),
    escalations: await count('escalations'),
    releaseHolds: await count('release_holds'),
    watchCloseouts: await count('watch_closeouts'),
    checkpoints: await count('checkpoints'),
  };
}
