import type { Command } from 'commander';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { contextPacketSchema } from '../../src/packet/packet-schema.ts';
import type { ProvenRegression } from '../../src/review/prove-regression.ts';
import type { ProofRun } from '../../src/review/recorded.ts';
import { actorOf, emit, gateRunNumber, plural, project, run, withStore, type CommonOptions } from './kit.ts';

type ProveOptions = CommonOptions & { task: string; beforeRun?: string; afterRun?: string };

export function registerProveCommand(review: Command): void {
  review
    .command('prove')
    .description(
      "prove a bug fix's regression: red at the fix's base, green at the fix, the rest of its pack and dependents green as before; " +
        'or, for a deployed fix, from two gate runs recorded on the task (--before-run, --after-run). Refused (exit 1) naming the test',
    )
    .requiredOption('--task <id>', 'the bug-fix task whose recorded fix to prove')
    .option('--before-run <n>', 'deployment: the gate run on the task with the pack red before the fix')
    .option('--after-run <n>', 'deployment: the later gate run on the task with the pack green after it')
    .option('--json', 'print the result (or the error) as JSON')
    .option('--actor <name>', 'who is acting, recorded with the proof (PACKGATE_ACTOR; default user@host)')
    .action((options: ProveOptions) => run(options, () => reviewProve(options)));
}

async function reviewProve(options: ProveOptions): Promise<void> {
  const runs = deploymentRuns(options);
  const p = project();
  const { proofSubject, proveInDeployment, proveInRepository } = await import('../../src/review/prove-regression.ts');
  const proof = await withStore(p, async store => {
    const subject = await proofSubject(store, options.task);
    const actor = actorOf(options);
    if (runs) return proveInDeployment({ store, catalogue: p.catalogue(), subject, ...runs, actor });
    const task = await store.requireTask(options.task);
    const packet = contextPacketSchema.safeParse(task.packet);
    return proveInRepository({
      root: p.root,
      store,
      catalogue: p.catalogue(),
      subject,
      packet: packet.success ? packet.data : undefined,
      actor,
      progress: options.json ? undefined : line => process.stderr.write(`packgate: ${line}\n`),
    });
  });
  emit(options, { proof }, report(options.task, proof));
}

/** --before-run and --after-run go together, as gate run numbers; neither means a repository proof. */
function deploymentRuns(options: ProveOptions): { beforeRun: number; afterRun: number } | undefined {
  if (options.beforeRun === undefined && options.afterRun === undefined) return undefined;
  if (options.beforeRun === undefined || options.afterRun === undefined)
    throw new PackgateError(
      'INPUT_INVALID',
      '--before-run and --after-run go together: a deployed fix is proven by two gate runs',
      {
        hint: "e.g. --before-run 3 --after-run 5 (see `packgate task show <id>` for the task's gate runs), or neither for a repository proof",
      },
    );
  const runs = {
    beforeRun: gateRunNumber(options.beforeRun, '--before-run'),
    afterRun: gateRunNumber(options.afterRun, '--after-run'),
  };
  if (runs.beforeRun === runs.afterRun)
    throw new PackgateError(
      'INPUT_INVALID',
      `--before-run and --after-run both name gate run #${runs.beforeRun}: a proof compares a run before the fix with a later one after it`,
      {
        hint: "name the red run before the fix and the green one after it (see `packgate task show <id>` for the task's gate runs)",
      },
    );
  return runs;
}

function report(taskId: string, proof: ProvenRegression): string[] {
  const { regression } = proof;
  const runLine = (label: string, r: ProofRun) =>
    `  ${label.padEnd(6)} ${r.gateRun ? `gate run #${r.gateRun} ` : ''}at ${r.commit.slice(0, 12)}: verdict ${r.verdict}, ` +
    `regression ${r.regressionPassed ? 'green' : 'red'}, ${plural(r.othersFailed.length, 'other test')} failed`;
  return [
    `regression proven for task ${taskId} (${proof.mode}, ${proof.environment}, ${proof.layer} layer):`,
    `  ${regression.pack} › ${regression.spec} › ${regression.title}: red -> green`,
    runLine('before', proof.before),
    runLine('after', proof.after),
    `  others: every test of ${proof.packs.join(', ')} that passed before passes after`,
    `recorded as event #${proof.event} (regression-proof); output logs sha256:` +
      `${proof.before.outputDigest.slice(0, 12)} (before), sha256:${proof.after.outputDigest.slice(0, 12)} (after)`,
  ];
}
