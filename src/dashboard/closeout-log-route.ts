import type http from 'node:http';
import type { QueueStore } from '../store/queue-store.ts';
import type { WatchCloseout } from '../store/watch-closeout-schema.ts';
import { unknownTask } from './data.ts';
import { intactBlob } from './evidence-route.ts';
import { EVIDENCE_CSP, notFound, send } from './http-kit.ts';
import { taskRecordTarget } from './request-target.ts';

/** The link to a closeout's log, which `/watch-logs/<task>/<closeout>` serves. */
export function closeoutLogUrl(closeout: Pick<WatchCloseout, 'taskId' | 'id'>): string {
  return `/watch-logs/${encodeURIComponent(closeout.taskId)}/${closeout.id}`;
}

/**
 * A watched run's log, served as a run's evidence is (src/dashboard/evidence-route.ts): by its record
 * only, the task's closeout of that number and the blob of its log's digest, never a file system path
 * (the closeout's `logPath` is not read), and not when the content no longer hashes to its digest.
 * Plain text in no page context of ours. The log is served as stored: redacted before it was stored
 * (`watch run`, `watch close`), as the gate redacts a run's evidence before it is recorded.
 */
export async function serveCloseoutLog(store: QueueStore, res: http.ServerResponse, rest: string[]): Promise<void> {
  const { taskId, id } = taskRecordTarget(rest, 'such watch log: the path is /watch-logs/<task>/<closeout>');
  if (!(await store.getTask(taskId))) throw await unknownTask(store, taskId);
  const closeout = (await store.watchCloseouts({ taskId })).find(c => c.id === id);
  if (!closeout) throw notFound(`watch closeout #${id} of task ${taskId}`);
  if (!closeout.logDigest) throw notFound(`log of watch closeout #${id} of task ${taskId}: none was stored with it`);
  const content = await intactBlob(store, closeout.logDigest, `intact log of watch closeout #${id} of task ${taskId}`);
  send(res, 200, 'text/plain; charset=utf-8', content, { 'content-security-policy': EVIDENCE_CSP });
}
