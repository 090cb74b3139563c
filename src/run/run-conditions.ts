/**
 * What a run ran under that its verdict must say however it was split: the faults injected into its
 * stack (PACKGATE_STACK_FAULTS) and whether PACKGATE_ALLOW_HTTP=1 was set. Each run, each shard of one
 * too, puts them in Playwright's config metadata under a key of its own; a blob report keeps the
 * metadata and merge-reports merges it key by key. A merge then judges what its shards ran under,
 * not its own process's env, which knows nothing of them: a merge of fault drills is a drill, and
 * one of shards that accepted plain HTTP is no release verdict.
 */
export type RunConditions = { faults: string[]; allowHttp: boolean };

const KEY = 'packgate.run';

/** The run's conditions as config metadata, keyed by the run (a shard's key is not another shard's). */
export function conditionsMetadata(runId: string, conditions: RunConditions): Record<string, RunConditions> {
  return { [`${KEY} ${runId}`]: conditions };
}

/**
 * The conditions of every run the metadata holds, together: every fault any of them injected, plain
 * HTTP if any allowed it. Undefined when none is there (a report written before packgate kept them).
 */
export function conditionsOf(metadata: Readonly<Record<string, unknown>>): RunConditions | undefined {
  const runs = Object.entries(metadata)
    .filter(([key]) => key.startsWith(`${KEY} `))
    .map(([, value]) => value as Partial<RunConditions>);
  if (!runs.length) return undefined;
  return {
    faults: [...new Set(runs.flatMap(run => run.faults ?? []))].sort(),
    allowHttp: runs.some(run => run.allowHttp === true),
  };
}
