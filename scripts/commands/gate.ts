import path from 'node:path';
import { checkoutOf } from '../../src/git/git.ts';
import { recordGateRun, taskOfCheckout } from '../../src/loop/record-gate-run.ts';
import { TASK_ID_VAR } from '../../src/loop/task-id-var.ts';
import { recordedAs } from '../../src/store/gate-run-repository.ts';
import { REPORT_FILES } from '../../src/schema/constants.ts';
import { actorOf, emit, plural, project, withStore, type CommonOptions } from './kit.ts';

/**
 * Records a finished gate run from its output folder: on the task (--task, TASK_ID, or the task whose
 * worktree this is), or as a run of its environment: a release-gate run, or a narrowed one when it
 * ran part of the catalogue. The gate reporter does the same at the end of a run; the
 * same run recorded again is the one record it has, said so.
 */
export async function gateRecord(
  options: CommonOptions & { task?: string; output?: string; command?: string },
): Promise<void> {
  const p = project();
  const outputDir = path.resolve(p.root, options.output ?? process.env.PACKGATE_OUTPUT_DIR ?? p.manifest.output_dir);
  const taskId = options.task ?? (process.env[TASK_ID_VAR] || undefined) ?? taskOfCheckout(p.root);
  const checkout = checkoutOf(p.root);
  const { run, created } = await withStore(p, store =>
    recordGateRun(store, {
      outputDir,
      taskId,
      gitCommit: checkout.commit ?? null,
      gitDirty: checkout.dirty ?? false,
      command: options.command,
      actor: actorOf(options),
    }),
  );
  const where = recordedAs(run);
  emit(options, { run, created }, [
    created
      ? `gate run #${run.id} recorded ${where}: ${run.verdict}, ${plural(run.evidence.length, 'evidence file')}`
      : `gate run #${run.id} is this run, recorded already ${where} (attestation subjects sha256 ${run.subjectDigest?.slice(0, 12)}): nothing new recorded`,
    // Its evidence was listed when it was recorded; `task show` and --json list it again.
    ...(created ? evidenceLines(run.evidence) : []),
  ]);
}

/**
 * Each evidence file with its digest, but Allure's results (a file per test, container and
 * attachment: dozens) in one line; --json lists every one.
 */
function evidenceLines(evidence: ReadonlyArray<{ digest: string; path: string }>): string[] {
  const allure = `${REPORT_FILES.allureResults}/`;
  const results = evidence.filter(e => e.path.startsWith(allure));
  return [
    ...evidence.filter(e => !e.path.startsWith(allure)).map(e => `  sha256:${e.digest}  ${e.path}`),
    ...(results.length ? [`  ${allure} ${plural(results.length, 'file')} (--json lists each)`] : []),
  ];
}
