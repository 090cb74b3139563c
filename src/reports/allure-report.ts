import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';

export type AllureReportRequest = {
  /** allure-results written by a gate run. */
  resultsDir: string;
  /** Where the report goes; replaced whole. */
  reportDir: string;
  /** The report's title. */
  name: string;
};

/**
 * Builds the Allure 3 report of a gate run's results with the `allure` npm package (no Java), in a
 * child process: its CLI is its stable interface. Throws INPUT_INVALID, naming the folder and what
 * to do, when there are no results to build from.
 */
export function buildAllureReport(request: AllureReportRequest): void {
  const results = fs.existsSync(request.resultsDir) ? fs.readdirSync(request.resultsDir) : [];
  if (!results.some(name => name.endsWith('-result.json')))
    throw new PackgateError('INPUT_INVALID', `no Allure results in ${request.resultsDir}`, {
      hint: 'set `reports: { allure: true }` in packgate.yaml and run the gate (npx playwright test) first',
    });
  fs.rmSync(request.reportDir, { recursive: true, force: true });
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-allure-'));
  const config = path.join(configDir, 'allurerc.json');
  fs.writeFileSync(config, JSON.stringify(reportConfig(request.name)));
  let built;
  try {
    built = spawnSync(
      process.execPath,
      [allureCli(), 'generate', request.resultsDir, '--config', config, '--output', request.reportDir],
      { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
    );
  } finally {
    fs.rmSync(configDir, { recursive: true, force: true });
  }
  if (built.status !== 0 || !fs.existsSync(path.join(request.reportDir, 'index.html')))
    throw new PackgateError(
      'REPORT_FAILED',
      `allure generate failed (exit ${built.status ?? built.signal}):\n${built.stderr || built.stdout}`.trimEnd(),
      {
        hint: `its results are kept in ${request.resultsDir}; run \`npx packgate report allure\` again once it is fixed`,
        exitCode: 1,
      },
    );
}

/**
 * The report's configuration: Allure's awesome report with its test tree grouped by journey (the
 * pack, its `epic` label), then by layer, instead of by the suites Playwright names (the project
 * folder and the spec files: one node holding every test).
 */
function reportConfig(name: string): Record<string, unknown> {
  return { name, plugins: { awesome: { options: { reportName: name, groupBy: ['epic', 'layer'] } } } };
}

/** The allure package's CLI script (its package.json is not importable through its exports). */
function allureCli(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('allure'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const bin = (
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin: string | Record<string, string> }
  ).bin;
  return path.join(dir, typeof bin === 'string' ? bin : bin.allure);
}
