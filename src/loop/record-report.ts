import fs from 'node:fs';
import path from 'node:path';
import { filesUnder } from '../evidence/files-under.ts';
import type { EvidenceRef, GateRun } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { subjectDigest } from './subject-digest.ts';

/** What became of a report handed to the store. */
export type RecordedReport =
  { status: 'added'; runId: number; files: number } | { status: 'kept'; runId: number } | { status: 'no-run' };

/**
 * Adds a report built after a gate run (the Allure report, `<outputDir>/<folder>/`) to the run the
 * store recorded from that output folder, found by the folder's subject digest, as late files
 * under `<folder>/`: the dashboard serves it from the store like the rest of the run's evidence.
 * A run that has one already keeps it (the store keeps a run's first copy of every path, so a
 * second build would mix two reports); a folder the store never recorded adds nothing.
 */
export async function addReportToRecordedRun(
  store: QueueStore,
  outputDir: string,
  folder: string,
): Promise<RecordedReport> {
  const [run] = await store.gateRuns({ subjectDigest: subjectDigest(outputDir), limit: 1 });
  if (!run) return { status: 'no-run' };
  if (hasReport(run, folder)) return { status: 'kept', runId: run.id };
  const reportDir = path.join(outputDir, folder);
  const refs: EvidenceRef[] = [];
  for (const file of filesUnder(reportDir)) {
    const name = `${folder}/${path.relative(reportDir, file).split(path.sep).join('/')}`;
    refs.push({ path: name, pack: null, ...(await store.blobs.put(fs.readFileSync(file))) });
  }
  await store.addGateRunFiles(run.id, refs);
  return { status: 'added', runId: run.id, files: refs.length };
}

/** Whether the run recorded a report in `folder/` (its index.html). */
export function hasReport(run: Pick<GateRun, 'evidence'>, folder: string): boolean {
  return run.evidence.some(e => e.path === `${folder}/index.html`);
}
