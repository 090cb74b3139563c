import type { GateRunSink } from '../gate/sink.ts';
import { recordGateRunInProjectStore } from './record-gate-run.ts';

/**
 * The queue store as a gate-run sink: the run, read back from its output folder, recorded on the
 * task TASK_ID names (or as a release-gate run of its environment) at the project's commit.
 */
export function storeSink(env: Record<string, string | undefined> = process.env): GateRunSink {
  return {
    name: 'queue store',
    async record({ root, outputDir }) {
      return (await recordGateRunInProjectStore({ root, outputDir, env })).problem;
    },
    // The run is found by its identity (the gate's own files, unchanged since), and its attestation
    // and late reports are added to it.
    async attested({ root, outputDir }) {
      return (await recordGateRunInProjectStore({ root, outputDir, env })).problem;
    },
  };
}
