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
import { createRedactor, type Redactor } from '../src/evidence/redact.ts';
import { redactFileInPlace } from '../src/evidence/redact-files.ts';
import { requestedFaults } from '../src/faults.ts';
import { assembleRun, withLateProblem } from '../src/gate/assemble.ts';
import { firstLine, observeTest, type ObservedTest } from '../src/gate/observe.ts';
import { renderSummary, renderTable } from '../src/gate/render.ts';
import { rewriteVerdict, writeGateOutputs } from '../src/gate/write-outputs.ts';
import { recordGateRunInProjectStore } from '../src/loop/record-gate-run.ts';
import { readProjectMetadata } from '../src/playwright/projects.ts';
import { catalogueOfCurrentRun, removeRunScratch } from '../src/playwright/run-plan.ts';

/** Where verdict.json and evidence go: PACKGATE_OUTPUT_DIR, else this option, else packgate.yaml's output_dir. */
export const OUTPUT_DIR_VAR = 'PACKGATE_OUTPUT_DIR';

export type GateReporterOptions = {
  /** Output folder, relative to the config's folder. Default: `output_dir` of packgate.yaml (`gate-results`). */
  outputDir?: string;
};

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

  constructor(private readonly options: GateReporterOptions = {}) {}

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
    });
    if (!run) {
      process.stdout.write(
        '\npackgate: no packgate project ran, so there is no verdict (select one with --project=<env>-<layer>)\n',
      );
      return { status: 'failed' };
    }
    const outputDir = this.outputDir(root, catalogue.manifest.value.output_dir);
    let verdict = writeGateOutputs(outputDir, run, this.redact);
    // On the task TASK_ID names, or as a release-gate run of the environment; read back from disk,
    // so the store holds exactly the redacted files a person sees.
    const recorded = await recordGateRunInProjectStore({ root, outputDir });
    if (recorded.problem) verdict = rewriteVerdict(outputDir, withLateProblem(verdict, recorded.problem), this.redact);
    process.stdout.write(renderTable(verdict, path.relative(process.cwd(), outputDir) || '.'));
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderSummary(verdict));
    removeRunScratch();
    return { status: verdict.verdict === 'BLOCKED' ? 'failed' : 'passed' };
  }

  /** The gate projects in this run, even those none of whose tests ran. */
  private gateProjects(): Array<{ name: string; environment: string }> {
    return this.suite.suites.flatMap(s => {
      const project = s.project();
      const meta = project && readProjectMetadata(project);
      return meta ? [{ name: project!.name, environment: meta.environment }] : [];
    });
  }

  private outputDir(root: string, fromManifest: string): string {
    const fromEnv = process.env[OUTPUT_DIR_VAR];
    if (fromEnv) return path.resolve(fromEnv);
    return path.resolve(
      this.options.outputDir ? path.dirname(this.config.configFile ?? root) : root,
      this.options.outputDir ?? fromManifest,
    );
  }
}
