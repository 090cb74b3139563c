import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as AllureCore from '@allurereport/core';
import type { AllureConfig } from 'allure';
import { PackgateError } from '../diagnostics/errors.ts';
import { verdictQualityGate, type ReportedVerdict } from './allure-quality-gate.ts';

export type AllureReportRequest = {
  /** allure-results written by a gate run. */
  resultsDir: string;
  /** Where the report goes; replaced whole. */
  reportDir: string;
  /** The report's title. */
  name: string;
  /** The run's verdict: shown as the report's quality gate. None: the report has no quality gate. */
  verdict?: ReportedVerdict;
};

/**
 * Builds the Allure 3 report of a gate run's results (the `allure` npm package, no Java), with the
 * gate's verdict as its quality gate. Throws INPUT_INVALID, naming the folder and what to do, when
 * there are no results to build from; REPORT_FAILED when Allure fails.
 *
 * Built through @allurereport/core, the library the `allure` CLI is a thin shell over (the exact
 * version allure pins), not through `allure generate`: generate never evaluates a quality gate
 * (only `allure run` does, around a test command it starts itself), and Allure's own evaluation
 * cannot run on Node 20 (its QualityGate.validate calls Iterator#toArray, Node 22+). So the verdict's
 * results are handed to the report as `allure run` hands its own, before the report is written.
 */
export async function buildAllureReport(request: AllureReportRequest): Promise<void> {
  const results = fs.existsSync(request.resultsDir) ? fs.readdirSync(request.resultsDir) : [];
  if (!results.some(name => name.endsWith('-result.json')))
    throw new PackgateError('INPUT_INVALID', `no Allure results in ${request.resultsDir}`, {
      hint: 'set `reports: { allure: true }` in packgate.yaml and run the gate (npx playwright test) first',
    });
  fs.rmSync(request.reportDir, { recursive: true, force: true });
  try {
    const core = await allureCore();
    const config = await core.resolveConfig(reportConfig(request.name), { output: request.reportDir });
    const report = new core.AllureReport(config);
    await report.start();
    await report.readDirectory(request.resultsDir);
    if (request.verdict) {
      const tests = (await report.store.allTestResults({ includeRetries: false })).map(tr => ({
        id: tr.id,
        status: tr.status,
        pack: tr.labels.find(l => l.name === 'pack')?.value,
      }));
      report.realtimeDispatcher.sendQualityGateResults(verdictQualityGate(request.verdict, tests));
    }
    await report.done();
  } catch (error) {
    throw new PackgateError('REPORT_FAILED', `allure could not build the report: ${(error as Error).message}`, {
      hint: `its results are kept in ${request.resultsDir}; run \`npx packgate report allure\` again once it is fixed`,
      exitCode: 1,
    });
  }
  if (!fs.existsSync(path.join(request.reportDir, 'index.html')))
    throw new PackgateError('REPORT_FAILED', `allure wrote no index.html in ${request.reportDir}`, {
      hint: `its results are kept in ${request.resultsDir}; run \`npx packgate report allure\` again once it is fixed`,
      exitCode: 1,
    });
}

/**
 * The report's configuration: Allure's awesome report with its test tree grouped by journey (the
 * pack, its `epic` label), then by layer, instead of by the suites Playwright names (the project
 * folder and the spec files: one node holding every test).
 */
function reportConfig(name: string): AllureConfig {
  return { name, plugins: { awesome: { options: { reportName: name, groupBy: ['epic', 'layer'] } } } };
}

/** @allurereport/core as the installed `allure` package resolves it: the same copy its CLI runs. */
async function allureCore(): Promise<typeof AllureCore> {
  const fromAllure = createRequire(createRequire(import.meta.url).resolve('allure'));
  return (await import(pathToFileURL(fromAllure.resolve('@allurereport/core')).href)) as typeof AllureCore;
}
