import { projectName } from '../catalogue/project-plan.ts';
import type { Layer } from '../schema/common.ts';
import type { RunFlags } from '../schema/verdict.ts';
import { plural } from '../text/plural.ts';

/**
 * What made a run less than its environment's whole catalogue, each said as the run was given it: its
 * test filters (`--grep=...`, file filters, `--last-failed`), `--shard=i/n`, the environment's
 * projects it did not select, and tests of the projects it selected that it did not run with no
 * filter to say why (a `test.only`); faults injected into its stack (a drill of the gate, whose
 * BLOCKED says the gate catches them, nothing of the product); and plain-HTTP URLs a release stage
 * accepted only because PACKGATE_ALLOW_HTTP=1 (a test of the gate, against a local stack: its verdict
 * says it is not a release verdict). Empty: every test of every pack the environment runs was
 * selected, against the stack as it is, as the stage requires. A narrowed run answers the question it
 * was asked, never "may this environment release?": the queue store records it as narrowed, and no
 * release-gate read counts it.
 *
 * Not narrowed: a merge of shards whose report is missing. Nobody chose that subset; the merge blocks
 * on it (assemble.ts), and it stays a release-gate run, BLOCKED, so a lost report hides no failure.
 */
export function runNarrowing(input: {
  environment: string;
  flags?: RunFlags;
  merged: boolean;
  /** The layers of the environment's projects in the run. */
  runLayers: ReadonlySet<string | undefined>;
  /** The tests of the environment's packs the run did not run, as `<layer>: <title>` (missingTests). */
  missing: readonly string[];
  /** Faults injected into the run's stack (PACKGATE_STACK_FAULTS). */
  faults?: readonly string[];
  /** Of those, each whose pack (the one meant to catch it) the run did not select, with that pack. */
  faultsUnwatched?: ReadonlyArray<{ fault: string; pack: string }>;
  /** The release stage whose https rule PACKGATE_ALLOW_HTTP=1 waived for this run, if it did. */
  httpAllowedFor?: string;
}): string[] {
  const { flags } = input;
  const chosen = [...(flags?.filters ?? []), ...(flags?.shard ? [`--shard=${flags.shard}`] : [])];
  const layerOf = (test: string) => test.slice(0, test.indexOf(':'));
  const unselected = [...new Set(input.missing.map(layerOf))].filter(layer => !input.runLayers.has(layer));
  const notRun = input.missing.filter(test => input.runLayers.has(layerOf(test)));
  return [
    ...(input.faults?.length ? [`faults injected: ${input.faults.join(', ')} (a drill of the gate)`] : []),
    // A pass then says nothing of the gate: the pack that catches the fault did not run.
    ...(input.faultsUnwatched ?? []).map(
      ({ fault, pack }) => `fault ${fault}: its pack ${pack} was not selected, so nothing in this run could catch it`,
    ),
    ...(input.httpAllowedFor
      ? [`PACKGATE_ALLOW_HTTP=1: plain HTTP accepted for stage ${input.httpAllowedFor} (not a release verdict)`]
      : []),
    ...chosen,
    ...(unselected.length
      ? [`not selected: ${unselected.map(layer => projectName(input.environment, layer as Layer)).join(', ')}`]
      : []),
    // With a filter or a shard, those tests are what it left out; in a merge, a lost report (above).
    // Without either: a test.only, or tests.yaml names a test its spec no longer has.
    ...(notRun.length && !chosen.length && !input.merged
      ? [
          `${plural(notRun.length, 'test')} of the selected projects not in the run: a test.only, or a test ` +
            'renamed or removed since tests.yaml was written (`npx packgate tests` says which)',
        ]
      : []),
  ];
}
