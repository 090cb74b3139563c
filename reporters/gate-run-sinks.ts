import type { GateRunSink } from '../src/gate/sink.ts';
import type { ProjectManifest } from '../src/schema/project.ts';
import { storeConfigured } from '../src/store/configured.ts';

type Env = Record<string, string | undefined>;

/**
 * Where a finished gate run goes, chosen here where the gate and the queue are put together: the
 * queue store, only when the project keeps one (`store:` in packgate.yaml, the store URL's env
 * var, or a task's worktree). The store's code (SQLite, migrations, recording) loads when the
 * first run reaches it, so a gate without a store loads none of it.
 */
export function gateRunSinks(root: string, manifest: ProjectManifest, env: Env = process.env): GateRunSink[] {
  if (!storeConfigured(root, manifest, env)) return [];
  return [lazySink('queue store', async () => (await import('../src/loop/gate-run-sink.ts')).storeSink(env, manifest))];
}

/** A sink whose module is imported on its first run; a failure to import it is the sink's failure. */
function lazySink(name: string, load: () => Promise<GateRunSink>): GateRunSink {
  let sink: Promise<GateRunSink> | undefined;
  let loaded: GateRunSink | undefined;
  const sinkOf = async () => (loaded ??= await (sink ??= load()));
  return {
    name,
    record: async run => (await sinkOf()).record(run),
    recorded: () => loaded?.recorded?.(),
  };
}
