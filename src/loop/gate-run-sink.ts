import type { GateRunSink } from '../gate/sink.ts';
import type { ProjectManifest } from '../schema/project.ts';
import { recordedAs } from '../store/gate-run-repository.ts';
import type { GateRun } from '../store/queue-schema.ts';
import { recordGateRunInProjectStore } from './record-gate-run.ts';

/**
 * The queue store as a gate-run sink: the run, read back from its output folder, recorded on the
 * task TASK_ID names (or as a run of its environment: release-gate or narrowed) at the project's commit.
 * `manifest`: packgate.yaml as the gate validated it, else read again at each write.
 */
export function storeSink(
  env: Record<string, string | undefined> = process.env,
  manifest?: ProjectManifest,
): GateRunSink {
  let recorded: GateRun | undefined;
  return {
    name: 'queue store',
    async record({ root, outputDir, checkout }) {
      const result = await recordGateRunInProjectStore({ root, outputDir, env, checkout, manifest });
      recorded = result.run;
      return result.problem;
    },
    // The number `task prove --run` and `review` commands take.
    recorded: () => recorded && `gate run #${recorded.id} ${recordedAs(recorded)}`,
  };
}
