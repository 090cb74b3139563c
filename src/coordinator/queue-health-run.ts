import type { Governance } from '../governance/governance-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { judgeQueueHealth } from './queue-health.ts';
import type { QueueHealthReport } from './queue-health-report.ts';
import { checkpointInterval } from './stale-checkpoint.ts';

/** Queue health of the store, with governance.yaml's `queue:` settings: one snapshot read, then pure rules. */
export async function queueHealth(store: QueueStore, governance: Governance | undefined): Promise<QueueHealthReport> {
  return judgeQueueHealth(await store.queueSnapshot(), {
    legacyBefore: governance?.queue.legacy_before,
    checkpointInterval: checkpointInterval(governance),
  });
}
