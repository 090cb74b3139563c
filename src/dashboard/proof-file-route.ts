import type http from 'node:http';
import type { QueueStore } from '../store/queue-store.ts';
import type { TaskEvent } from '../store/queue-schema.ts';
import { unknownTask } from './data.ts';
import { intactBlob, sendStoredFile } from './evidence-route.ts';
import { notFound } from './http-kit.ts';
import { taskRecordTarget } from './request-target.ts';

/** A file `packgate task prove --file` recorded as an acceptance item's proof: its name and digest. */
export type ProofFile = { event: number; file: string; digest: string };

/** The file a `proof` event records, if it records one (a proof by gate run records none). */
export function proofFile(event: Pick<TaskEvent, 'id' | 'kind' | 'body'>): ProofFile | undefined {
  const { file, digest } = event.body;
  if (event.kind !== 'proof' || typeof file !== 'string' || typeof digest !== 'string') return undefined;
  return { event: event.id, file, digest };
}

/** The link to a proof's file, which `/proof-files/<task>/<event>` serves. */
export function proofFileUrl(taskId: string, proof: ProofFile): string {
  return `/proof-files/${encodeURIComponent(taskId)}/${proof.event}`;
}

/**
 * A file recorded as an acceptance item's proof, served as a run's evidence is
 * (src/dashboard/evidence-route.ts): by its record only, the task's `proof` event of that id and the
 * blob of the digest it names, never a file system path (the name it records only says how the file
 * is served: text, image or download), and not when the content no longer hashes to its digest.
 */
export async function serveProofFile(store: QueueStore, res: http.ServerResponse, rest: string[]): Promise<void> {
  const { taskId, id } = taskRecordTarget(
    rest,
    'such proof file: the path is /proof-files/<task>/<event>, as the task page links it',
  );
  // A task id a typo away from a stored one is said as the task's page says it, not as a wrong event.
  if (!(await store.getTask(taskId))) throw await unknownTask(store, taskId);
  const event = (await store.events(taskId)).find(e => e.id === id);
  const proof = event && proofFile(event);
  if (!proof) throw notFound(`file recorded as a proof by event #${id} of task ${taskId}`);
  const content = await intactBlob(store, proof.digest, `intact proof file ${proof.file} of task ${taskId}`);
  sendStoredFile(res, proof.file, content);
}
