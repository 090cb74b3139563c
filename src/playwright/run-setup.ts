import path from 'node:path';
import type { Catalogue } from '../catalogue/load.ts';
import { loadCatalogueKept } from '../catalogue/catalogue-cache.ts';
import { findRoot } from '../catalogue/root.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../diagnostics/format.ts';
import { httpAllowedBy, resolveEnvironment, type ResolvedEnvironment } from '../environment/resolve.ts';
import { checkFaultsFitStacks, checkFaultsHaveStack, requestedFaults } from '../faults/faults.ts';
import { browserFor } from './browser-choice.ts';
import type { GateSetup } from './gate-setup.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { gateOutputDir, replaceOutputDir } from '../gate/output-dir.ts';
import { startingRunReason, unjudgedVerdict, writeUnjudgedVerdict } from '../gate/unjudged.ts';
import { planProjects, type ProjectPlan } from '../catalogue/project-plan.ts';
import { toPlaywrightProjects } from './projects.ts';
import { writeRunPlan } from '../run/run-plan.ts';
import { checkNoRunUnderWay } from './run-under-way.ts';
import { conditionsMetadata } from '../run/run-conditions.ts';
import { isListing, isTestRun, isTestServerSession, readCommandLine, type CommandLine } from '../run/command-line.ts';
import { REPORT_FILES } from '../schema/constants.ts';
import { narrowSignIns } from './run-sign-ins.ts';
import { testServerOrder } from './ui-order.ts';
import { projectSelection } from './selection.ts';
import { checkOneEnvironment, checkProjectFilter } from './project-filter.ts';
import { checkReleaseOptions } from './release-options.ts';
import { buildWebServers, reachesUrls, STACK_VAR, stackEnvironments } from './web-servers.ts';
import { TRUSTED_CAS_VAR } from './trust-setup.ts';
import { REACHABLE_VAR, type Reachable } from './answer-setup.ts';
import type { TrustedCa } from '../browser/trust-store.ts';
import { runUnitCommands } from './unit-commands.ts';
import { checkBlobReports } from './start-inputs.ts';
import { checkAttestKey } from '../gate/attest-key.ts';

/** The gate reporter, by path: the config's folder may not be the project root. */
const GATE_REPORTER = path.join(import.meta.dirname, '../../reporters/gate-reporter.ts');
/** allure-playwright with the packs' labels. */
const ALLURE_REPORTER = path.join(import.meta.dirname, '../../reporters/allure-reporter.ts');

/**
 * The runner's half of gateSetup: validates the catalogue, plans the projects, checks the `--project`
 * values against them (project-filter.ts), checks that every environment the run selects resolves
 * (its URLs and client id; secrets are looked up only when a test needs one), finds the browser,
 * writes the run plan for the workers, and builds the web servers.
 * The catalogue comes validated from the cache when none of its files changed (catalogue-cache.ts).
 */
export async function setUpRun(configDir: string, argv: readonly string[]): Promise<GateSetup> {
  const commandLine = readCommandLine(argv);
  const testRun = isTestRun(commandLine);
  const merging = commandLine.command === 'merge-reports';
  const root = findRoot(configDir);
  const { catalogue, diagnostics } = await loadCatalogueKept(root);
  // From here on the run has started: no earlier verdict (or report) may outlive it, whatever stops it.
  if (catalogue && (testRun || merging)) clearOutputDir(catalogue);
  if (!catalogue || hasErrors(diagnostics)) {
    process.stderr.write(
      `packgate: the catalogue has problems (${summarizeDiagnostics(diagnostics)}):\n${formatDiagnostics(diagnostics)}\n`,
    );
    process.exit(2);
  }
  // Bad input stops the run here (exit 2), not after every test ran or behind Playwright's stack trace.
  const selection = projectSelection(commandLine);
  const planned = planProjects(catalogue);
  checkProjectFilter(selection.patterns, planned, catalogue);
  checkBlobReports(commandLine);
  if (testRun || merging) checkAttestKey();
  const faults = requestedFaults(catalogue);
  // UI mode (and VS Code's test server) lists every project, and a setup checked there runs whole: each
  // signs in its environment's personas, not only those of the default projects' packs. It opens on a
  // default project (ui-order.ts).
  const testServer = isTestServerSession(commandLine);
  const plans = testServer
    ? testServerOrder(planned)
    : testRun
      ? narrowSignIns(catalogue, planned, selection, commandLine)
      : planned;
  const stacks = stackEnvironments(catalogue, plans, selection);
  checkFaultsFitStacks(catalogue, faults, stacks);
  const selected = plans.filter(p => selection.selects(p.name, p.isDefault));
  // A test server session lists every project and runs what is checked in it, one run at a time.
  if (testRun && !testServer) checkOneEnvironment(selected, selection.patterns);
  if (testRun) checkReleaseOptions(commandLine, selected, catalogue);
  if (testRun && process.env[STACK_VAR] !== 'never')
    checkFaultsHaveStack(faults, stacks, [...new Set(selected.map(p => p.name))]);
  // Only a run reaches the environments: a listing (`packgate tests` lists every project) or a merge of
  // reports must not need the env vars of a deployment this machine never runs against.
  const environments =
    testRun || testServer
      ? [...new Set(selected.map(p => p.metadata.environment))].map(name => resolveEnvironment(catalogue, name))
      : [];
  const globalSetup = [...trustSetup(environments), ...answerSetup(environments, selected, stacks)];
  const browser = browserFor(plans, selected, commandLine);
  const plan = writeRunPlan(catalogue, plans, faults, browser, testServer);
  if (testRun) {
    markRunStarted(catalogue, selected, plan.runId, commandLine);
    runUnitCommands(plan, selected);
  }
  return {
    projects: toPlaywrightProjects(plans, browser),
    webServers: buildWebServers(catalogue, stacks, faults),
    globalSetup,
    reporters: gateReporters(catalogue, commandLine),
    metadata: conditionsMetadata(plan.runId, { faults, allowHttp: httpAllowedBy() }),
  };
}

/** The global setup that makes the workers' API clients trust the environments' CAs (trust-setup.ts). */
const TRUST_SETUP = path.join(import.meta.dirname, 'trust-setup.ts');

/**
 * The CA files of the selected environments with `tls.ca_file`, handed to the global setup, which
 * runs once the stacks are up (a stack in deployment shape writes its CA when it starts).
 */
function trustSetup(environments: readonly ResolvedEnvironment[]): string[] {
  const cas: TrustedCa[] = [];
  for (const env of environments)
    if (env.tls && !cas.some(ca => ca.file === env.tls!.caFile))
      cas.push({ file: env.tls.caFile, environment: { name: env.name, ...(env.stack ? { stack: {} } : {}) } });
  if (!cas.length) return [];
  process.env[TRUSTED_CAS_VAR] = JSON.stringify(cas);
  return [TRUST_SETUP];
}

/** The global setup that hears from each deployment before a test starts (answer-setup.ts). */
const ANSWER_SETUP = path.join(import.meta.dirname, 'answer-setup.ts');

/**
 * The URLs of the selected environments whose stack this run does not start (a deployment, a stack
 * started by hand), handed to the global setup that stops the run at once when one does not answer.
 */
function answerSetup(
  environments: readonly ResolvedEnvironment[],
  selected: readonly ProjectPlan[],
  stacks: readonly string[],
): string[] {
  const reaching = new Set(selected.filter(reachesUrls).map(p => p.metadata.environment));
  const deployments: Reachable[] = environments
    .filter(env => reaching.has(env.name) && !stacks.includes(env.name))
    .map(env => ({
      environment: env.name,
      file: env.file,
      answerTimeoutS: env.answerTimeoutS,
      urls: Object.entries({
        'urls.app': env.urls.app,
        'urls.api': env.urls.api,
        'urls.auth_issuer': env.urls.authIssuer,
        'urls.proxy': env.urls.proxy,
      })
        .filter((entry): entry is [string, string] => !!entry[1])
        .map(([field, url]) => ({ field, url })),
    }));
  if (!deployments.length) return [];
  process.env[REACHABLE_VAR] = JSON.stringify(deployments);
  return [ANSWER_SETUP];
}

/**
 * From the moment a run starts, its output folder holds no verdict but a BLOCKED one saying this run
 * has not judged yet: whatever ends the run before the reporter writes (a kill, a crash, a replaced
 * reporter), no earlier PASS stands beside it. A folder packgate does not own stops the run here.
 */
function markRunStarted(
  catalogue: Catalogue,
  selected: readonly ProjectPlan[],
  runId: string,
  commandLine: CommandLine,
) {
  const root = catalogue.root;
  const outputDir = gateOutputDir(root, catalogue.manifest.value.output_dir);
  const environment = [...new Set(selected.map(p => p.metadata.environment))].sort()[0];
  if (!environment) return;
  const startedAt = new Date();
  const verdict = unjudgedVerdict({
    environment,
    env: catalogue.environments.get(environment)!.value,
    projects: selected.filter(p => p.metadata.environment === environment).map(p => p.name),
    runId,
    startedAt,
    ...startingRunReason(commandLine, runId, startedAt),
  });
  writeUnjudgedVerdict(outputDir, root, verdict, text => text);
}

/**
 * Empties the output folder, or stops the run (exit 2) when it holds what packgate did not write, or
 * while another run of this project writes it.
 */
function clearOutputDir(catalogue: Catalogue): void {
  const outputDir = gateOutputDir(catalogue.root, catalogue.manifest.value.output_dir);
  try {
    checkNoRunUnderWay(outputDir, catalogue.root);
    replaceOutputDir(outputDir, catalogue.root, () => {});
  } catch (error) {
    if (!(error instanceof PackgateError)) throw error;
    process.stderr.write(`packgate: ${error.message}\n`);
    process.exit(error.exitCode);
  }
}

/**
 * The gate reporter after the printing one, then the reports packgate.yaml asks for (JUnit, Allure)
 * into the gate's output folder; a shard adds Playwright's blob report. Everything after the gate
 * copies attachments it has already redacted, and its last sweep covers what they write.
 */
function gateReporters(catalogue: Catalogue, commandLine: CommandLine): GateSetup['reporters'] {
  // `--list` runs nothing: the gate judges nothing and JUnit and Allure write nothing, so the listing
  // does not wait for their modules to load (a third of its time over bare Playwright's).
  if (isListing(commandLine)) return [['list']];
  const sharded = commandLine.options.shard !== undefined;
  const { reports, output_dir } = catalogue.manifest.value;
  const outputDir = gateOutputDir(catalogue.root, output_dir);
  return [
    ['list'],
    [GATE_REPORTER],
    ...(reports.junit
      ? [['junit', { outputFile: path.join(outputDir, REPORT_FILES.junit) }] as [string, unknown]]
      : []),
    ...(reports.allure
      ? [[ALLURE_REPORTER, { resultsDir: path.join(outputDir, REPORT_FILES.allureResults) }] as [string, unknown]]
      : []),
    ...(sharded ? [['blob'] as [string]] : []),
  ];
}
