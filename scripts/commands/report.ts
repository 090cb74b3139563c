import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../../src/catalogue/load.ts';
import { errorLine } from '../../src/diagnostics/first-line.ts';
import { gateOutputDir } from '../../src/gate/output-dir.ts';
import { addReportToRecordedRun, type RecordedReport } from '../../src/loop/record-report.ts';
import { reportedVerdictSchema, type ReportedVerdict } from '../../src/reports/allure-quality-gate.ts';
import { buildAllureReport } from '../../src/reports/allure-report.ts';
import { REPORT_FILES } from '../../src/schema/constants.ts';
import { storeConfigured } from '../../src/store/configured.ts';
import { loadManifest, openProjectStore } from '../../src/store/open.ts';
import { emit } from './kit.ts';

/**
 * `packgate report allure`: the Allure 3 report of the last gate run, beside its verdict, with the
 * verdict as its quality gate; and, when the project keeps a queue store that recorded the run, in
 * the store with the run (the dashboard links it from the run's page).
 */
export async function reportAllure(options: { json?: boolean }): Promise<void> {
  const root = findRoot(process.cwd());
  const manifest = loadManifest(root);
  const outputDir = gateOutputDir(root, manifest.output_dir);
  const reportDir = path.join(outputDir, REPORT_FILES.allureReport);
  const verdict = readVerdict(path.join(outputDir, 'verdict.json'));
  await buildAllureReport({
    resultsDir: path.join(outputDir, REPORT_FILES.allureResults),
    reportDir,
    name: [manifest.name, verdict?.environment, verdict?.verdict].filter(Boolean).join(' · '),
    verdict,
  });
  const stored = storeConfigured(root, manifest) ? await storeReport(root, outputDir) : undefined;
  const index = path.relative(process.cwd(), path.join(reportDir, 'index.html'));
  emit(options, { report: index, qualityGate: verdict?.verdict ?? null, store: stored ?? null }, [
    `Allure report: ${index}`,
    verdict
      ? `Quality gate: the gate's verdict, ${verdict.verdict}`
      : 'Quality gate: none (no readable verdict.json beside the results)',
    ...(stored ? [storedLine(stored)] : []),
  ]);
}

/** The report added to the run the store recorded from this folder; a failure is said, never fatal. */
async function storeReport(
  root: string,
  outputDir: string,
): Promise<RecordedReport | { status: 'failed'; why: string }> {
  try {
    const store = await openProjectStore(root);
    try {
      return await addReportToRecordedRun(store, outputDir, REPORT_FILES.allureReport);
    } finally {
      await store.close();
    }
  } catch (error) {
    return { status: 'failed', why: errorLine(error) };
  }
}

function storedLine(stored: RecordedReport | { status: 'failed'; why: string }): string {
  switch (stored.status) {
    case 'added':
      return `Queue store: added to gate run #${stored.runId} (${stored.files} files); the dashboard links it from the run's page`;
    case 'kept':
      return `Queue store: gate run #${stored.runId} keeps the report first built for it`;
    case 'no-run':
      return 'Queue store: no gate run recorded from this folder; the report is not in the store';
    case 'failed':
      return `Queue store: the report was not stored: ${stored.why}`;
  }
}

/** The run's verdict, or none when it cannot be read: the report is then built without a quality gate. */
function readVerdict(file: string): ReportedVerdict | undefined {
  try {
    const parsed = reportedVerdictSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
