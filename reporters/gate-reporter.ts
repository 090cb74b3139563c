import fs from 'node:fs';
import path from 'node:path';
import type {
  FullConfig,
  FullResult,
  Reporter,
  Suite,
  TestCase,
  TestError,
  TestResult,
} from '@playwright/test/reporter';
import { findRoot, loadCatalogueOrThrow, type Catalogue } from '../src/catalogue/load.ts';
import { environmentSecrets } from '../src/environment/resolve.ts';
import { attestGateOutput } from '../src/evidence/attest.ts';
import { createRedactor, type Redactor } from '../src/evidence/redact.ts';
import { redactFileInPlace } from '../src/evidence/redact-files.ts';
import { requestedFaults } from '../src/faults.ts';
import { assembleRun, withLateProblem } from '../src/gate/assemble.ts';
import { firstLine, observeTest, type ObservedTest } from '../src/gate/observe.ts';
import { renderSummary, renderTable } from '../src/gate/render.ts';
import { gateOutputDir } from '../src/gate/output-dir.ts';
import { readRunFlags } from '../src/gate/run-flags.ts';
import { startingRunReason, unjudgedVerdict } from '../src/gate/unjudged.ts';
import { rewriteVerdict, writeGateOutputs, writeVerdictOnly } from '../src/gate/write-outputs.ts';
import { recordGateRunInProjectStore } from '../src/loop/record-gate-run.ts';
import { readProjectMetadata } from '../src/playwright/projects.ts';
import { catalogueOfCurrentRun, currentRunPlan, removeRunScratch } from '../src/playwright/run-plan.ts';

/**
 * Turns a Playwright run into a gate verdict: BLOCKED, PASS_WITH_WARNINGS or PASS, written with
 * per-pack evidence and printed as a table. The exit status follows the verdict, not the raw test
 * results: an advisory failure alone exits 0, a blocking one exits 1.
 */
export default class GateReporter implements Reporter {
  private config!: FullConfig;
  private suite!: Suite;
  private root!: string;
  private catalogue!: Catalogue;
  private redact!: Redactor;
  private readonly startedAt = new Date();
  private readonly runErrors: string[] = [];
  private readonly runWarnings: string[] = [];
  /** `--list` judges nothing and must leave the last verdict alone. */
  private readonly listing = process.argv.includes('--list');
  /** `merge-reports` of shards' blob reports: the one verdict of a sharded run. */
  private readonly merging = process.argv.includes('merge-reports');

  printsToStdio(): boolean {
    return true;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
    this.root = findRoot(config.rootDir);
    // The runner's own catalogue when this is a `playwright test` run; loaded from disk for merge-reports.
    this.catalogue = catalogueOfCurrentRun() ?? loadCatalogueOrThrow(this.root);
    const environments = new Set(this.gateProjects().map(p => p.environment));
    this.redact = createRedactor(
      [...environments].flatMap(name => environmentSecrets(this.catalogue, name)?.knownValues() ?? []),
    );
  }

  /**
   * Traces, error contexts and logs are redacted where Playwright left them, before anything copies
   * them. A file that cannot be redacted is deleted: missing evidence is reported, a leak would not be.
   */
  onTestEnd(test: TestCase, result: TestResult): void {
    for (const attachment of result.attachments) {
      if (!attachment.path) continue;
      try {
        redactFileInPlace(attachment.path, attachment.contentType, this.redact);
      } catch (error) {
        fs.rmSync(attachment.path, { force: true });
        this.runWarnings.push(
          `deleted attachment "${attachment.name}" of "${test.title}": it could not be redacted (${firstLine(String((error as Error)?.message ?? error))})`,
        );
      }
    }
  }

  onError(error: TestError): void {
    this.runErrors.push(firstLine(error.message ?? error.value ?? 'unknown error'));
  }

  async onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | void> {
    if (this.listing) return;
    // A shard judges nothing: its blob report goes to merge-reports, and the verdict written when it
    // started (BLOCKED, "shard i/n of a run") stays. Its exit status is its tests'.
    if (this.config.shard) {
      process.stdout.write(`\npackgate: ${startingRunReason(process.argv, '', this.startedAt).why}\n`);
      return;
    }
    try {
      const judged = await this.judge(result);
      // merge-reports ignores the status a reporter returns and exits 1 only when a reporter throws;
      // a CI merge job must fail on BLOCKED, so the gate throws (after writing the verdict).
      if (this.merging && judged.status === 'failed') throw new MergedRunBlocked();
      return judged;
    } catch (error) {
      if (error instanceof MergedRunBlocked) throw error;
      // The gate failing must not look like the product passing: whatever went wrong, BLOCKED.
      const why = `the gate reporter failed, so this run has no verdict: ${firstLine(String((error as Error)?.stack ?? error))}`;
      process.stdout.write(`\npackgate: ${why}\n`);
      this.writeUnjudged('the gate reporter failed', why);
      process.exitCode = 1;
      return { status: 'failed' };
    }
  }

  private async judge(result: FullResult): Promise<{ status: FullResult['status'] }> {
    const { root, catalogue } = this;
    const tests = this.suite
      .allTests()
      .map(t => observeTest(t, root))
      .filter((t): t is ObservedTest => !!t);
    const run = assembleRun({
      catalogue,
      tests,
      runErrors: this.runErrors,
      runWarnings: this.runWarnings,
      runStatus: result.status,
      projects: this.gateProjects(),
      faults: requestedFaults(catalogue),
      startedAt: this.startedAt,
      durationMs: result.duration,
      flags: readRunFlags(
        this.config,
        this.gateProjects().map(p => p.name),
      ),
      runId: currentRunPlan()?.runId,
      merged: this.merging,
    });
    if (!run) {
      process.stdout.write(
        '\npackgate: no packgate project ran, so there is no verdict (select one with --project=<env>-<layer>)\n',
      );
      return { status: 'failed' };
    }
    const outputDir = gateOutputDir(root, catalogue.manifest.value.output_dir);
    let verdict = writeGateOutputs(outputDir, root, run, this.redact);
    // On the task TASK_ID names, or as a release-gate run of the environment; read back from disk,
    // so the store holds exactly the redacted files a person sees.
    const recorded = await recordGateRunInProjectStore({ root, outputDir });
    if (recorded.problem) verdict = rewriteVerdict(outputDir, withLateProblem(verdict, recorded.problem), this.redact);
    // Last, over the files as they stay: what a pipeline receiving the folder verifies.
    try {
      attestGateOutput(outputDir, { root, flags: verdict.run });
    } catch (error) {
      const message = `the evidence attestation was not written: ${firstLine(String((error as Error)?.message ?? error))}`;
      verdict = rewriteVerdict(outputDir, withLateProblem(verdict, { severity: 'error', message }), this.redact);
    }
    process.stdout.write(renderTable(verdict, path.relative(process.cwd(), outputDir) || '.'));
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderSummary(verdict));
    removeRunScratch();
    return { status: verdict.verdict === 'BLOCKED' ? 'failed' : 'passed' };
  }

  /** The gate projects in this run, even those none of whose tests ran. */
  private gateProjects(): Array<{ name: string; environment: string; layer: string }> {
    return this.suite.suites.flatMap(s => {
      const project = s.project();
      const meta = project && readProjectMetadata(project);
      return meta ? [{ name: project!.name, environment: meta.environment, layer: meta.layer }] : [];
    });
  }

  /** Best effort: a BLOCKED verdict saying why there is no other, for the reporter's own failures. */
  private writeUnjudged(summary: string, why: string): void {
    try {
      const projects = this.gateProjects();
      const environment = projects.map(p => p.environment).sort()[0];
      const env = environment && this.catalogue.environments.get(environment)?.value;
      if (!env) return;
      const verdict = unjudgedVerdict({
        environment,
        env,
        projects: projects.filter(p => p.environment === environment).map(p => p.name),
        runId: currentRunPlan()?.runId,
        startedAt: this.startedAt,
        summary,
        why,
      });
      writeVerdictOnly(
        gateOutputDir(this.root, this.catalogue.manifest.value.output_dir),
        this.root,
        verdict,
        this.redact,
      );
    } catch {
      // Nothing more to do: the run exits 1, and the verdict written when it started says it did not finish.
    }
  }
}

class MergedRunBlocked extends Error {
  override name = 'packgate';
  constructor() {
    super('the merged verdict is BLOCKED (see above): exiting 1');
    this.stack = `${this.name}: ${this.message}`;
  }
}
