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
  TestStep,
} from '@playwright/test/reporter';
import { packsOfEnvironment } from '../src/catalogue/environment-packs.ts';
import type { Catalogue } from '../src/catalogue/load.ts';
import { findRoot } from '../src/catalogue/root.ts';
import { environmentSecrets } from '../src/environment/resolve.ts';
import { checkoutOfAsync, type Checkout } from '../src/git/git.ts';
import { publishedArtifactPaths } from '../src/evidence/published-artifacts.ts';
import type { Redactor } from '../src/evidence/redact.ts';
import type { Quarantined } from '../src/evidence/redact-files.ts';
import { redactTestErrors } from '../src/evidence/redact-test-errors.ts';
import { maskSecretStep } from '../src/evidence/secret-inputs.ts';
import { RunRedaction } from '../src/evidence/run-redaction.ts';
import { redactWrites } from '../src/evidence/redacted-writes.ts';
import { ArtifactSweeper, describeQuarantine } from '../src/evidence/sweep.ts';
import { requestedFaults } from '../src/faults/faults.ts';
import { conditionsOf } from '../src/run/run-conditions.ts';
import { errorLine, firstLine } from '../src/diagnostics/first-line.ts';
import { observeTest, type ObservedTest } from '../src/gate/observe.ts';
import { renderSummary, renderTable } from '../src/gate/render.ts';
import { gateOutputDir } from '../src/gate/output-dir.ts';
import { readRunFlags } from '../src/gate/run-flags.ts';
import { handToSinks, type GateRunSink } from '../src/gate/sink.ts';
import { WebServerWords } from '../src/gate/web-server-words.ts';
import { startedProjects, startingRunReason, unjudgedVerdict, writeUnjudgedVerdict } from '../src/gate/unjudged.ts';
import { readProjectMetadata } from '../src/catalogue/project-plan.ts';
import { currentRunPlan, removeRunScratch } from '../src/run/run-plan.ts';
import { isListing, readCommandLine } from '../src/run/command-line.ts';
import { releaseStages } from '../src/schema/constants.ts';
import type { ManualRead, QueueRead, RunProblem, VerdictFile } from '../src/schema/verdict.ts';
import { gateRunSinks } from './gate-run-sinks.ts';
import { runCatalogue } from './run-catalogue.ts';
import { readManualVerdictsOf } from './manual-verdict-sources.ts';
import { readReleaseHolds } from './release-hold-sources.ts';

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
  /** What redaction removed because it could not read it (attachments, archive entries, report files), described. */
  private readonly quarantined: string[] = [];
  private published?: {
    outputDir: string;
    verdict: VerdictFile;
    sinks: GateRunSink[];
    checkout: Checkout;
    /** What onEnd returned: a verdict BLOCKED only later fails the run in onExit. */
    status: 'passed' | 'failed';
  };
  private readonly startedAt = new Date();
  /** What only the verdict needs, started while the tests run (see startVerdictWork). */
  private verdictWork?: {
    /** The modules that judge, write and attest the verdict (zod and the schemas among them). */
    modules: Promise<typeof import('./gate-verdict.ts')>;
    /** The commit the run is on, for the attestation and the store. */
    checkout: Promise<Checkout>;
    /** The release holds on the judged environment's packs (not for a shard, which judges nothing). */
    queue?: Promise<QueueRead | undefined>;
    /** The recorded manual verdicts of the judged environment's packs, read beside the holds. */
    manual?: Promise<ManualRead | undefined>;
  };
  /** Tests begun and not yet ended: all workers busy is when the verdict's work starts. */
  private running = 0;
  private readonly runErrors: string[] = [];
  /** Put the console back as it was, once the run is over (UI mode starts a reporter per run). */
  private consoleRestorers: Array<() => void> = [];
  private readonly runWarnings: string[] = [];
  /** What the stacks said on stderr: why one did not start. */
  private readonly webServerWords = new WebServerWords();
  /** The command line this run was started with, as Playwright reads it. */
  private readonly commandLine = readCommandLine();
  /** `--list` judges nothing and must leave the last verdict alone. */
  private readonly listing = isListing(this.commandLine);
  /** `merge-reports` of shards' blob reports: the one verdict of a sharded run. */
  private readonly merging = this.commandLine.command === 'merge-reports';

  printsToStdio(): boolean {
    return true;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
    this.root = findRoot(config.rootDir);
    // The runner's own catalogue when this is a `playwright test` run; loaded from disk for merge-reports.
    this.catalogue = runCatalogue(config.rootDir);
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
    // The printing reporter, listed first, copies each test's output to the console as it arrives.
    if (this.redaction.enabled && !this.listing)
      this.consoleRestorers = [process.stdout, process.stderr].map(stream => redactWrites(stream, this.redact));
  }

  /**
   * Starts what only the verdict needs, once: loading the modules that judge and write it, asking
   * git for the commit, reading the queue's release holds and manual verdicts (the store's code and
   * zod load with them). Each takes the runner's thread for tens of ms, which the workers' start
   * needs more than the verdict at the end does: so it starts once every worker is running a test
   * (none is starting, which is the run's serial path: a setup project, then its dependents'
   * workers), or when judging a run that never had them all busy. A run whose catalogue came from
   * the cache reaches its first test without any of it.
   */
  private startVerdictWork(): NonNullable<GateReporter['verdictWork']> {
    if (this.verdictWork) return this.verdictWork;
    const judged = [...new Set(this.gateProjects().map(p => p.environment))].sort()[0];
    this.verdictWork = {
      modules: import('./gate-verdict.ts'),
      checkout: checkoutOfAsync(this.root),
      ...(this.config.shard ? {} : { queue: this.readHolds(judged), manual: this.readManual(judged) }),
    };
    this.verdictWork.modules.catch(() => {});
    return this.verdictWork;
  }

  /** The modules that judge, write and attest the verdict (see startVerdictWork). */
  private verdictModules(): Promise<typeof import('./gate-verdict.ts')> {
    return this.startVerdictWork().modules;
  }

  /** Only where the environment runs the manual layer and one of its packs has manual checks. */
  private readManual(environment: string | undefined): Promise<ManualRead> | undefined {
    const env = environment === undefined ? undefined : this.catalogue.environments.get(environment)?.value;
    if (!env?.layers.includes('manual')) return undefined;
    const packs = packsOfEnvironment(
      env,
      [...this.catalogue.packs.values()].map(p => p.value),
    )
      .filter(p => p.pack.manual.length)
      .map(p => p.pack.id);
    if (!packs.length) return undefined;
    return readManualVerdictsOf(this.root, this.catalogue.manifest.value, { environment: environment!, packs });
  }

  /** The queue's release holds on the packs the judged environment runs (the first, as assembleRun judges). */
  private readHolds(environment: string | undefined): Promise<QueueRead> | undefined {
    const env = environment === undefined ? undefined : this.catalogue.environments.get(environment)?.value;
    if (!env) return undefined;
    const packs = packsOfEnvironment(
      env,
      [...this.catalogue.packs.values()].map(p => p.value),
    ).map(p => p.pack.id);
    return readReleaseHolds(this.root, this.catalogue.manifest.value, {
      environment: environment!,
      stage: env.stage,
      packs,
    });
  }

  /**
   * Traces, error contexts and logs are redacted where Playwright left them, before anything copies
   * them (zips inside them too), and the test's errors before anything prints or copies them. What
   * cannot be read is removed, a file whole or an archive entry: missing evidence is reported, a
   * leak would not be.
   */
  onTestEnd(test: TestCase, result: TestResult): void {
    this.running--;
    redactTestErrors(result, this.redact);
    for (const attachment of result.attachments) {
      if (!attachment.path) continue;
      let quarantined: Quarantined[];
      try {
        this.redaction.redactAttachmentName(attachment);
        ({ quarantined } = this.redaction.redactFile(attachment.path, attachment.contentType));
      } catch (error) {
        fs.rmSync(attachment.path, { force: true });
        quarantined = [{ path: attachment.path, reason: errorLine(error) }];
      }
      for (const item of quarantined) {
        const where = path.relative(this.root, item.path);
        this.quarantined.push(
          item.path === attachment.path
            ? `deleted attachment "${attachment.name}" of "${test.title}": it could not be redacted (${item.reason}): ${where}`
            : `removed ${where.split('!').slice(1).join('!')} from attachment "${attachment.name}" of "${test.title}": ` +
                `it could not be redacted (${item.reason}): ${where.split('!')[0]}`,
        );
      }
    }
  }

  /**
   * What is typed into a secret field is masked in its step's title (`Fill "..."`) before the
   * reporters after the gate copy the step (Allure's step names, the HTML report, blob): the title
   * does not say which field it was, so nothing after this could tell the value is a secret.
   */
  onStepBegin(_test: TestCase, _result: TestResult, step: TestStep): void {
    if (this.redaction?.enabled) maskSecretStep(step);
  }

  onTestBegin(): void {
    if (++this.running >= this.config.workers && !this.listing) this.startVerdictWork();
  }

  onStdErr(chunk: string | Buffer, test?: TestCase): void {
    if (!test) this.webServerWords.take(chunk);
  }

  onError(error: TestError): void {
    this.runErrors.push(this.webServerWords.explain(firstLine(error.message ?? error.value ?? 'unknown error')));
  }

  async onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | void> {
    if (this.listing) return;
    // A shard judges nothing: its blob report goes to merge-reports, and the verdict written when it
    // started (BLOCKED, "shard i/n of a run") stays. Its exit status is its tests'.
    if (this.config.shard) {
      process.stdout.write(`\npackgate: ${startingRunReason(this.commandLine, '', this.startedAt).why}\n`);
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
    this.sweepPublishedArtifacts();
    for (const problem of this.quarantineProblems(this.quarantined))
      (problem.severity === 'error' ? this.runErrors : this.runWarnings).push(problem.message);
    const { root, catalogue } = this;
    const work = this.startVerdictWork();
    const { assembleRun, writeGateOutputs } = await work.modules;
    // A merge judges what its shards ran under (their config metadata), not its own env.
    const shards = this.merging ? conditionsOf(this.config.metadata) : undefined;
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
      faults: shards?.faults ?? requestedFaults(catalogue),
      ...(shards ? { allowHttp: shards.allowHttp } : {}),
      startedAt: this.startedAt,
      durationMs: result.duration,
      flags: readRunFlags(
        this.config,
        this.gateProjects().map(p => p.name),
        this.commandLine,
      ),
      runId: currentRunPlan()?.runId,
      merged: this.merging,
      queue: await work.queue,
      manual: await work.manual,
      unitReports: tests.some(t => t.project.layer === 'unit')
        ? (await import('../src/gate/unit-source.ts')).unitReportCounts(tests)
        : undefined,
    });
    if (!run) {
      // An error before any test (a spec that does not load, e.g. its pack.gen.ts not written yet; a web
      // server that did not start) is what to fix, not the --project selection.
      const [first, ...more] = this.runErrors;
      // Projects it selected that no test of matched (`--pass-with-no-tests` ends such a run without an error).
      const started = startedProjects(
        gateOutputDir(root, catalogue.manifest.value.output_dir),
        currentRunPlan()?.runId,
      );
      const filters = readRunFlags(this.config, [], this.commandLine).filters;
      const why = first
        ? `the run stopped before any test ran, so there is no verdict: ${first}` +
          (more.length ? ` (and ${more.length} more error${more.length === 1 ? '' : 's'} above)` : '')
        : started.length
          ? `no test of ${[...new Set(started.map(p => p.name))].join(', ')} matched this run's filters` +
            `${filters.length ? ` (${filters.join(' ')})` : ''}, so there is no verdict`
          : 'no packgate project ran, so there is no verdict (select one with --project=<env>-<layer>)';
      process.stdout.write(`\npackgate: ${this.redact(why)}\n`);
      if (first || started.length) this.writeUnjudged('no test ran', why);
      return { status: 'failed' };
    }
    const outputDir = gateOutputDir(root, catalogue.manifest.value.output_dir);
    const checkout = await work.checkout;
    const verdict = await this.attest(outputDir, writeGateOutputs(outputDir, root, run, this.redact), checkout);
    // The queue store (when the project keeps one) is handed the run in onExit, once its verdict,
    // attestation and reports are final: what it records is what the folder says.
    const sinks = gateRunSinks(root, catalogue.manifest.value);
    this.published = {
      outputDir,
      verdict,
      sinks,
      checkout,
      status: verdict.verdict === 'BLOCKED' ? 'failed' : 'passed',
    };
    process.stdout.write(this.redact(renderTable(verdict, path.relative(process.cwd(), outputDir) || '.')));
    removeRunScratch();
    return { status: this.published.status };
  }

  /** The gate projects in this run, even those none of whose tests ran. */
  private gateProjects(): Array<{ name: string; environment: string; layer: string }> {
    return this.suite.suites.flatMap(s => {
      const project = s.project();
      const meta = project && readProjectMetadata(project);
      return meta ? [{ name: project!.name, environment: meta.environment, layer: meta.layer }] : [];
    });
  }

  /**
   * Last, over the files as they stay: what a pipeline receiving the folder verifies. A failure is
   * a problem of the verdict (no attestation is left that could be stale).
   */
  private async attest(outputDir: string, verdict: VerdictFile, checkout: Checkout): Promise<VerdictFile> {
    const { attestGateOutput, rewriteVerdict, withLateProblem } = await this.verdictModules();
    try {
      attestGateOutput(outputDir, { root: this.root, flags: verdict.run, checkout });
      return verdict;
    } catch (error) {
      const message = `the evidence attestation was not written: ${errorLine(error)}`;
      return rewriteVerdict(outputDir, withLateProblem(verdict, { severity: 'error', message }), this.redact);
    }
  }

  /** Quarantined evidence blocks a release stage (its proof is incomplete) and warns on dev. */
  private quarantineProblems(descriptions: readonly string[]): RunProblem[] {
    const release = this.gateProjects().some(p => {
      const stage = this.catalogue.environments.get(p.environment)?.value.stage;
      return stage !== undefined && releaseStages.has(stage);
    });
    return descriptions.map(message => ({ severity: release ? 'error' : 'warning', message }));
  }

  /**
   * Redaction of what the run publishes besides the attachments onTestEnd saw: everything else in
   * the projects' output folders (test-results) and what reporters wrote (HTML report, blob, JUnit,
   * JSON, Allure results). Run in onEnd, for reporters listed before the gate, and again in onExit,
   * for those that write after it; the second pass reads only files that are new or changed. The
   * gate's own output is redacted as it is written. Returns what was quarantined in this pass.
   */
  private sweepPublishedArtifacts(): string[] {
    if (!this.redaction?.enabled) return [];
    this.sweeper ??= new ArtifactSweeper(this.redact, this.root);
    const configDir = this.config.configFile ? path.dirname(this.config.configFile) : this.config.rootDir;
    const targets = publishedArtifactPaths({
      configDir,
      // A merge runs no test: its projects' output folders are the shards', on their machines, and here
      // hold only what else is there (packgate's own checkout: its test suite's test-results/self),
      // which the merge must neither read, rewrite nor delete. It publishes what its reporters write.
      projectOutputDirs: this.merging ? [] : this.config.projects.map(p => p.outputDir),
      reporters: this.config.reporter,
    });
    const swept = this.sweeper.sweep(targets);
    for (const refused of swept.refused) this.runWarnings.push(`not redacted: ${refused}`);
    const described = swept.quarantined.map(describeQuarantine);
    this.quarantined.push(...described);
    return described;
  }

  /**
   * After every reporter's onEnd: what reporters listed after the gate wrote (JUnit, Allure, a
   * shard's blob report) is swept, the output attested again, now over those reports too, and only
   * then handed to the sinks, so the queue store records the verdict.json the folder keeps: one whose
   * attestation failed is BLOCKED in both. onEnd's status is spent by now: a verdict that became
   * BLOCKED here fails the run by throwing, which Playwright counts as a failed run (exit 1).
   */
  async onExit(): Promise<void> {
    try {
      await this.finish();
    } finally {
      for (const restore of this.consoleRestorers) restore();
    }
  }

  private async finish(): Promise<void> {
    if (!this.config || this.listing) return;
    const late = this.sweepPublishedArtifacts();
    if (late.length) process.stdout.write(late.map(item => `packgate: ${this.redact(item)}\n`).join(''));
    if (!this.published) return;
    const { outputDir, checkout } = this.published;
    let { verdict } = this.published;
    const problems = this.quarantineProblems(late);
    if (problems.length) {
      const { rewriteVerdict, withLateProblem } = await this.verdictModules();
      for (const problem of problems) verdict = withLateProblem(verdict, problem);
      verdict = rewriteVerdict(outputDir, verdict, this.redact);
    }
    verdict = await this.record(await this.attest(outputDir, verdict, checkout));
    this.published.verdict = verdict;
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderSummary(verdict));
    if (verdict.verdict === 'BLOCKED' && this.published.status === 'passed') throw new LateBlocked(verdict);
  }

  /**
   * Hands the finished run to each sink (on the task TASK_ID names, or as a run of its environment),
   * which reads back exactly the redacted, attested files a person sees. A sink that could not record
   * it is a warning of the verdict, written and attested again: what that sink holds (nothing) cannot
   * disagree with it.
   */
  private async record(verdict: VerdictFile): Promise<VerdictFile> {
    const { outputDir, sinks, checkout } = this.published!;
    const problems = await handToSinks(sinks, { root: this.root, outputDir, verdict, checkout });
    if (problems.length) {
      const { rewriteVerdict, withLateProblem } = await this.verdictModules();
      for (const problem of problems) {
        process.stdout.write(`packgate: ${this.redact(problem.message)}\n`);
        verdict = withLateProblem(verdict, problem);
      }
      verdict = await this.attest(outputDir, rewriteVerdict(outputDir, verdict, this.redact), checkout);
    }
    for (const sink of sinks) {
      const where = sink.recorded?.();
      if (where) process.stdout.write(`recorded in the ${sink.name}: ${where}\n`);
    }
    return verdict;
  }

  /** Best effort: a BLOCKED verdict saying why there is no other, for the reporter's own failures. */
  private writeUnjudged(summary: string, why: string): void {
    try {
      const outputDir = gateOutputDir(this.root, this.catalogue.manifest.value.output_dir);
      const runId = currentRunPlan()?.runId;
      // Without a project that loaded a test, the run's start said which it selected.
      const loaded = this.gateProjects();
      const projects = loaded.length ? loaded : startedProjects(outputDir, runId);
      const environment = projects.map(p => p.environment).sort()[0];
      const env = environment && this.catalogue.environments.get(environment)?.value;
      if (!env) return;
      const verdict = unjudgedVerdict({
        environment,
        env,
        projects: projects.filter(p => p.environment === environment).map(p => p.name),
        runId,
        startedAt: this.startedAt,
        summary,
        why,
      });
      writeUnjudgedVerdict(outputDir, this.root, verdict, this.redact);
    } catch {
      // Nothing more to do: the run exits 1, and the verdict written when it started says it did not finish.
    }
  }
}

/** A verdict that became BLOCKED after onEnd gave the run's status: thrown from onExit, so the run exits 1. */
class LateBlocked extends Error {
  override name = 'packgate';
  constructor(verdict: VerdictFile) {
    const errors = verdict.problems.filter(p => p.severity === 'error').map(p => p.message);
    super(`the verdict printed above became BLOCKED: ${errors.join('; ')}; verdict.json says so: exiting 1`);
    this.stack = `${this.name}: ${this.message}`;
  }
}

class MergedRunBlocked extends Error {
  override name = 'packgate';
  constructor() {
    super('the merged verdict is BLOCKED (see above): exiting 1');
    this.stack = `${this.name}: ${this.message}`;
  }
}
