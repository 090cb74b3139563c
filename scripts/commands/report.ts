import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../../src/catalogue/load.ts';
import { gateOutputDir } from '../../src/gate/output-dir.ts';
import { buildAllureReport } from '../../src/reports/allure-report.ts';
import { REPORT_FILES } from '../../src/schema/constants.ts';
import { loadManifest } from '../../src/store/open.ts';

/** `packgate report allure`: the Allure 3 report of the last gate run, beside its verdict. */
export function reportAllure(): void {
  const root = findRoot(process.cwd());
  const manifest = loadManifest(root);
  const outputDir = gateOutputDir(root, manifest.output_dir);
  const reportDir = path.join(outputDir, REPORT_FILES.allureReport);
  buildAllureReport({
    resultsDir: path.join(outputDir, REPORT_FILES.allureResults),
    reportDir,
    name: reportName(manifest.name, path.join(outputDir, 'verdict.json')),
  });
  process.stdout.write(`Allure report: ${path.relative(process.cwd(), path.join(reportDir, 'index.html'))}\n`);
}

/** `<project> · <environment> · <verdict>`, or the project alone when the verdict cannot be read. */
function reportName(project: string, verdictFile: string): string {
  try {
    const verdict = JSON.parse(fs.readFileSync(verdictFile, 'utf8')) as { environment?: string; verdict?: string };
    return [project, verdict.environment, verdict.verdict].filter(Boolean).join(' · ');
  } catch {
    return project;
  }
}
