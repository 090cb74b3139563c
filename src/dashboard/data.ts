import type { KeyObject } from 'node:crypto';
import type { QueueStore } from '../store/queue-store.ts';
import type { RunDetail, TaskDetail } from './api-schemas.ts';
import { notFound } from './http-kit.ts';
import { allureReportUrl } from './report-route.ts';
import { verifyRun } from './verify-run.ts';

/** A task and everything recorded of it: what its page and `/api/tasks/{id}` show. */
export async function taskDetail(store: QueueStore, id: string): Promise<TaskDetail> {
  const task = await store.getTask(id);
  if (!task) throw notFound(`task ${id}`);
  const [transitions, events, escalations, runs, releaseHolds, checkpoints, closeouts] = await Promise.all([
    store.transitions(id),
    store.events(id),
    store.escalations(id),
    store.dashboard.gateRuns({ taskId: id, offset: 0, limit: 50 }),
    store.releaseHolds({ taskId: id }),
    store.checkpoints(id),
    store.watchCloseouts({ taskId: id }),
  ]);
  return { task, transitions, events, escalations, gateRuns: runs.runs, releaseHolds, checkpoints, closeouts };
}

/** A gate run with its packs, evidence, attestation check and the link to its Allure report. */
export async function runDetail(store: QueueStore, id: number, publicKey?: KeyObject): Promise<RunDetail> {
  const run = await store.dashboard.gateRun(id);
  if (!run) throw notFound(`gate run ${id}`);
  return { run, verification: await verifyRun(store, run, publicKey), reportUrl: allureReportUrl(run) ?? null };
}
