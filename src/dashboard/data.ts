import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { provenAcceptance } from '../loop/handoff.ts';
import { acceptanceItemSchema, type AcceptanceItem } from '../packet/packet-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import type { RunDetail, TaskDetail } from './api-schemas.ts';
import { didYouMean, nearest } from '../diagnostics/nearest.ts';
import { notFound, type HttpError } from './http-kit.ts';
import { allureReportUrl } from './report-route.ts';
import { verifyRun } from './verify-run.ts';

/** A task and everything recorded of it: what its page and `/api/tasks/{id}` show. */
export async function taskDetail(store: QueueStore, id: string): Promise<TaskDetail> {
  const task = await store.getTask(id);
  if (!task) throw await unknownTask(store, id);
  const items = packetAcceptance(task.packet);
  const [transitions, events, escalations, runs, releaseHolds, checkpoints, closeouts, provingRuns] = await Promise.all(
    [
      store.transitions(id),
      store.events(id),
      store.escalations(id),
      store.dashboard.gateRuns({ taskId: id, offset: 0, limit: 50 }),
      store.releaseHolds({ taskId: id }),
      store.checkpoints(id),
      store.watchCloseouts({ taskId: id }),
      // Every run with its packs, as the handoff reads them (a pack's item is proven by any of them);
      // read only for a packet with items.
      items.length ? store.gateRuns({ taskId: id }) : [],
    ],
  );
  const acceptance = provenAcceptance(id, items, events, provingRuns);
  return {
    task,
    transitions,
    events,
    escalations,
    gateRuns: runs.runs,
    releaseHolds,
    checkpoints,
    closeouts,
    acceptance,
  };
}

/**
 * The acceptance items of a stored packet, read alone: the rest of a packet a later catalogue no
 * longer passes (a pack renamed) does not hide them. None when there is no packet or they do not read.
 */
function packetAcceptance(packet: unknown): AcceptanceItem[] {
  const read = z.object({ acceptance: z.array(acceptanceItemSchema) }).safeParse(packet);
  return read.success ? read.data.acceptance : [];
}

/**
 * The 404 of a task id not in the store, with the stored id a typo away from it, as `packgate task
 * show` suggests one (src/store/task-rows.ts): the ids are read only on this error path.
 */
export async function unknownTask(store: QueueStore, id: string): Promise<HttpError> {
  const ids = (await store.listTasks()).map(t => t.id);
  const hint = didYouMean(id, ids);
  const near = hint && nearest(id, ids);
  return notFound(
    `task ${id}`,
    near ? { hint, label: `task ${near}`, path: `/tasks/${encodeURIComponent(near)}` } : undefined,
  );
}

/** A gate run with its packs, evidence, attestation check and the link to its Allure report. */
export async function runDetail(store: QueueStore, id: number, publicKey?: KeyObject): Promise<RunDetail> {
  const run = await store.dashboard.gateRun(id);
  if (!run) throw notFound(`gate run ${id}`);
  return { run, verification: await verifyRun(store, run, publicKey), reportUrl: allureReportUrl(run) ?? null };
}
