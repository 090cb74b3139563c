import { changedFiles, headCommit } from '../git/git.ts';
import type { Handoff } from './handoff-schema.ts';
import type { BlobCheck } from '../store/blobs.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { judgeDrift } from './drift.ts';
import { assembleHandoff, type ProofBody } from './handoff.ts';
import type { OpenedTask } from './open-task.ts';

/**
 * The handoff of a task from git and the store. Complete, and not a dry run: stored by digest and
 * recorded on the task as it moves from in_progress to in_review, in one transaction. Refused
 * (returned with `missing`): nothing is written.
 */
export async function runHandoff(
  store: QueueStore,
  { task: { id: taskId }, packet, dir, base }: OpenedTask,
  options: { risks: readonly string[]; actor: string; dryRun: boolean },
): Promise<{ handoff: Handoff; digest?: string }> {
  const changes = judgeDrift(packet, changedFiles(dir, base)).changes;
  const runs = await store.gateRuns({ taskId });
  const events = await store.events(taskId);
  const digests = [
    ...runs.flatMap(r => r.evidence.map(e => e.digest)),
    ...events
      .filter(e => e.kind === 'proof')
      .flatMap(e => ((e.body as ProofBody).digest ? [(e.body as ProofBody).digest!] : [])),
  ];
  const checks = new Map<string, BlobCheck>();
  for (const digest of new Set(digests)) checks.set(digest, await store.blobs.verify(digest));
  const handoff = assembleHandoff({
    taskId,
    packet,
    base,
    head: headCommit(dir) ?? null,
    changes,
    runs,
    events,
    checks,
    locate: digest => store.blobs.locate(digest),
    risks: options.risks,
  });
  if (handoff.missing.length || options.dryRun) return { handoff };
  const { digest } = await store.blobs.put(Buffer.from(JSON.stringify(handoff, null, 2) + '\n'));
  await store.transition(taskId, {
    from: 'in_progress',
    to: 'in_review',
    actor: options.actor,
    reason: `handed off (handoff sha256 ${digest.slice(0, 12)})`,
    event: { kind: 'handoff', body: { digest, base: handoff.base, head: handoff.head } },
  });
  return { handoff, digest };
}
