import { errorLine } from '../diagnostics/first-line.ts';
import type { Checkout } from '../git/git.ts';
import type { RunProblem, VerdictFile } from '../schema/verdict.ts';

/** A gate run once its outputs are written, redacted and attested: what a sink is handed. */
export type FinishedGateRun = {
  /** The project root. */
  root: string;
  /** The gate's output folder: verdict.json, summary.md and evidence/ as a person sees them. */
  outputDir: string;
  /** The verdict as written to `<outputDir>/verdict.json`. */
  verdict: VerdictFile;
  /** The commit the run was on, looked up while it ran; a sink without it looks it up itself. */
  checkout?: Checkout;
};

/**
 * Somewhere a finished gate run goes after the gate has judged it: the one interface between the
 * gate and whatever keeps runs (the queue store). The gate knows nothing of what is behind it.
 * `record` never throws: a failure comes back as a problem for the verdict, so it is reported and
 * cannot turn BLOCKED into a pass, nor hide one.
 */
export type GateRunSink = {
  /** Names the sink in problems, e.g. `queue store`. */
  readonly name: string;
  /**
   * The run once everything is published and final: its verdict, its attestation and the reports
   * written after the gate's verdict (JUnit, Allure).
   */
  record(run: FinishedGateRun): Promise<RunProblem | undefined>;
  /** After `record`: where the run went, for the terminal (`gate run #12 on task T-1`); nothing if nowhere. */
  recorded?(): string | undefined;
};

/** Hands the run to each sink in turn; one that throws all the same is a warning, as any failure to record. */
export async function handToSinks(sinks: readonly GateRunSink[], run: FinishedGateRun): Promise<RunProblem[]> {
  const problems: RunProblem[] = [];
  for (const sink of sinks) {
    try {
      const problem = await sink.record(run);
      if (problem) problems.push(problem);
    } catch (error) {
      problems.push({
        severity: 'warning',
        message: `${sink.name}: this run was not recorded: ${errorLine(error)}`,
      });
    }
  }
  return problems;
}
