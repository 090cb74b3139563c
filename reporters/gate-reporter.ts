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
import { publishedArtifactPaths } from '../src/evidence/published-artifacts.ts';
import type { Redactor } from '../src/evidence/redact.ts';
import type { Quarantined } from '../src/evidence/redact-files.ts';
import { RunRedaction } from '../src/evidence/run-redaction.ts';
import { ArtifactSweeper, describeQuarantine } from '../src/evidence/sweep.ts';
import { requestedFaults } from '../src/faults.ts';
import { assembleRun, withLateProblem } from '../src/gate/assemble.ts';
import { firstLine, observeTest, type ObservedTest } from '../src/gate/observe.ts';
import { renderSummary, renderTable } from '../src/gate/render.ts';
import { rewriteVerdict, writeGateOutputs } from '../src/gate/write-outputs.ts';
import { recordGateRunInProjectStore } from '../src/loop/record-gate-run.ts';
import { readProjectMetadata } from '../src/playwright/projects.ts';
import type { VerdictFile } from '../src/schema/verdict.ts';
import { catalogueOfCurrentRun, currentRunPlan, removeRunScratch } from '../src/playwright/run-plan.ts';

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
  private redaction!: RunRedaction;
  private redact!: Redactor;
  private sweeper?: ArtifactSweeper;
  /** What redaction removed because it could not read it: attachments, archive entries, report files. */
  private readonly quarantined: Quarantined[] = [];
  private published?: { outputDir: string; verdict: VerdictFile };
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
    const environments = [...new Set(this.gateProjects().map(p => p.environment))];
    this.redaction = new RunRedaction({
      secretValues: environments.flatMap(name => environmentSecrets(this.catalogue, name)?.knownValues() ?? []),
      runDir: currentRunPlan()?.runDir,
      environments: environments.flatMap(name => {
        const env = this.catalogue.environments.get(name)?.value;
        return env ? [{ name, kind: env.kind, stage: env.stage }] : [];
      }),
    });
    this.redact = this.redaction.redact;
    if (this.redaction.notice) this.runWarnings.push(this.redaction.notice);
  }

  /**
   * Traces, error contexts and logs are redacted where Playwright left them, before anything copies
   * them (zips inside them too). What cannot be read is removed, a file whole or an archive entry:
   * missing evidence is reported, a leak would not be.
   */
  onTestEnd(test: TestCase, result: TestResult): void {
    for (const attachment of result.attachments) {
      if (!attachment.path) continue;
      let quarantined: Quarantined[];
      try {
        ({ quarantined } = this.redaction.redactFile(attachment.path, attachment.contentType));
      } catch (error) {
        fs.rmSync(attachment.path, { force: true });
        quarantined = [{ path: attachment.path, reason: firstLine(String((error as Error)?.message ?? error)) }];
      }
      for (const item of quarantined) {
        const where = path.relative(this.root, item.path);
        this.quarantined.push({ ...item, path: where });
        this.runWarnings.push(
          item.path === attachment.path
            ? `deleted attachment "${attachment.name}" of "${test.title}": it could not be redacted (${item.reason}): ${where}`
            : `removed ${where.split('!').slice(1).join('!')} from attachment "${attachment.name}" of "${test.title}": ` +
                `it could not be redacted (${item.reason}): ${where.split('!')[0]}`,
        );
      }
    }
  }

  onError(error: TestError): void {
    this.runErrors.push(firstLine(error.message ?? error.value ?? 'unknown error'));
  }

  async onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | void> {
    this.sweepPublishedArtifacts();
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
    this.published = { outputDir, verdict };
    process.stdout.write(this.redact(renderTable(verdict, path.relative(process.cwd(), outputDir) || '.')));
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderSummary(verdict));
    removeRunScratch();
    return { status: verdict.verdict === 'BLOCKED' ? 'failed' : 'passed' };
  }

  /**
   * Redaction of what the run publishes besides the attachments onTestEnd saw: everything else in
   * the projects' output folders (test-results) and what reporters wrote (HTML report, blob, JUnit,
   * JSON, Allure results). Run in onEnd, for reporters listed before the gate, and again in onExit,
   * for those that write after it; the second pass reads only files that are new or changed. The
   * gate's own output is redacted as it is written. Returns what was quarantined in this pass.
   */
  private sweepPublishedArtifacts(): Quarantined[] {
    if (!this.redaction?.enabled) return [];
    this.sweeper ??= new ArtifactSweeper(this.redact, this.root);
    const configDir = this.config.configFile ? path.dirname(this.config.configFile) : this.config.rootDir;
    const targets = publishedArtifactPaths({
      configDir,
      projectOutputDirs: this.config.projects.map(p => p.outputDir),
      reporters: this.config.reporter,
    });
    const swept = this.sweeper.sweep(targets);
    for (const refused of swept.refused) this.runWarnings.push(`not redacted: ${refused}`);
    for (const item of swept.quarantined) this.runWarnings.push(describeQuarantine(item));
    this.quarantined.push(...swept.quarantined);
    return swept.quarantined;
  }

  /** After every reporter's onEnd: what reporters listed after the gate wrote. */
  async onExit(): Promise<void> {
    if (!this.config) return;
    const late = this.sweepPublishedArtifacts();
    if (!late.length || !this.published) return;
    let { verdict } = this.published;
    for (const item of late)
      verdict = withLateProblem(verdict, { severity: 'warning', message: describeQuarantine(item) });
    this.published.verdict = rewriteVerdict(this.published.outputDir, verdict, this.redact);
    process.stdout.write(late.map(item => `packgate: ${this.redact(describeQuarantine(item))}\n`).join(''));
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
