import type { Governance } from '../governance/governance-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { judgeQueueHealth, type HealthSettings } from './queue-health.ts';
import type { QueueHealthReport } from './queue-health-report.ts';
import { checkpointInterval } from './stale-checkpoint.ts';

/** Queue health of the store, with governance.yaml's `queue:` settings: one snapshot read, then pure rules. */
export async function queueHealth(store: QueueStore, governance: Governance | undefined): Promise<QueueHealthReport> {
  return judgeQueueHealth(await store.queueSnapshot(), healthSettings(governance));
}

/** What queue health judges with: governance.yaml's legacy cutoff and checkpoint interval. */
export function healthSettings(governance: Governance | undefined): HealthSettings {
  return { legacyBefore: governance?.queue.legacy_before, checkpointInterval: checkpointInterval(governance) };
}
