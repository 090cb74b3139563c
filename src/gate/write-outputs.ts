import fs from 'node:fs';
import path from 'node:path';
import { redactDeep, type Redactor } from '../evidence/redact.ts';
import { redactFileInPlace } from '../evidence/redact-files.ts';
import { REPORT_FILES } from '../schema/constants.ts';
import { verdictFileSchema, type VerdictFile } from '../schema/verdict.ts';
import type { AssembledRun } from './assemble.ts';
import type { ObservedTest } from './observe.ts';
import { replaceOutputDir } from './output-dir.ts';
import { renderSummary } from './render.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

/**
 * What the reports after the gate wrote into its folder while the run went on: the folder was
 * emptied when the run started, so whatever is there is this run's, and the gate's swap keeps it.
 */
const REPORTS_OF_THIS_RUN = Object.values(REPORT_FILES);

/**
 * Writes verdict.json, summary.md and evidence/<pack>/ into a staging folder, then swaps it for
 * the output folder: a reader sees the previous run's complete output or this one's, never a mix.
 * Every string that reaches disk goes through the redactor, copied attachments included.
 */
export function writeGateOutputs(outputDir: string, root: string, run: AssembledRun, redact: Redactor): VerdictFile {
  let verdict!: VerdictFile;
  replaceOutputDir(
    outputDir,
    root,
    staging => {
      const packs = run.verdict.packs.map(pack => {
        const tests = run.testsByPack.get(pack.id) ?? [];
        if (!tests.length) return pack;
        const files = writePackEvidence(staging, pack.evidence.dir, pack, tests, redact);
        return { ...pack, evidence: { ...pack.evidence, files } };
      });
      verdict = writeVerdictFiles(staging, { ...run.verdict, packs }, redact);
    },
    REPORTS_OF_THIS_RUN,
  );
  return verdict;
}

/**
 * Replaces the output folder with a verdict alone: a run that has not judged yet (written when it
 * starts, so no earlier verdict outlives it), or one that could not judge (the reporter failed).
 */
export function writeVerdictOnly(outputDir: string, root: string, verdict: VerdictFile, redact: Redactor): VerdictFile {
  let written!: VerdictFile;
  replaceOutputDir(
    outputDir,
    root,
    staging => (written = writeVerdictFiles(staging, verdict, redact)),
    REPORTS_OF_THIS_RUN,
  );
  return written;
}

function writeVerdictFiles(dir: string, verdict: VerdictFile, redact: Redactor): VerdictFile {
  const checked = verdictFileSchema.parse(redactDeep(verdict, redact));
  fs.writeFileSync(path.join(dir, 'verdict.json'), JSON.stringify(checked, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'summary.md'), renderSummary(checked));
  return checked;
}

function writePackEvidence(
  staging: string,
  dir: string,
  pack: VerdictFile['packs'][number],
  tests: ObservedTest[],
  redact: Redactor,
): string[] {
  const packDir = path.join(staging, dir);
  fs.mkdirSync(packDir, { recursive: true });
  const files: string[] = [];
  const used = new Set<string>();
  const testRecords = tests.map(test => {
    const copied = test.failureAttachments.map(attachment => {
      if (!fs.existsSync(attachment.path)) return undefined;
      const name = uniqueName(
        `${slug(test.title)}/attempt-${attachment.attempt + 1}-${path.basename(attachment.path)}`,
        used,
      );
      const target = path.join(packDir, name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(attachment.path, target);
      redactFileInPlace(target, attachment.contentType, redact);
      const rel = `${dir}/${name}`;
      files.push(rel);
      return { name: attachment.name, contentType: attachment.contentType, file: rel };
    });
    return {
      title: test.title,
      location: test.location,
      project: test.projectName,
      outcome: test.outcome,
      lastStatus: test.lastStatus ?? 'not-run',
      errors: test.errors,
      correlationIds: test.correlationIds,
      traceIds: test.traceIds,
      durationMs: test.durationMs,
      interactiveSignIns: test.interactiveSignIns,
      attachments: copied.filter(Boolean),
    };
  });
  const record = {
    schemaVersion: 1,
    pack: pack.id,
    status: pack.status,
    reason: pack.reason,
    correlationIds: pack.evidence.correlationIds,
    traceIds: pack.evidence.traceIds,
    missingArtifacts: pack.evidence.missingArtifacts,
    tests: testRecords,
  };
  fs.writeFileSync(path.join(packDir, 'evidence.json'), JSON.stringify(redactDeep(record, redact), null, 2) + '\n');
  files.unshift(`${dir}/evidence.json`);
  return files;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'test'
  );
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let i = 2; used.has(candidate); i++) candidate = name.replace(/(\.[^./]+)?$/, `-${i}$1`);
  used.add(candidate);
  return candidate;
}

/** Rewrites verdict.json and summary.md of a finished output folder, each atomically. */
export function rewriteVerdict(outputDir: string, verdict: VerdictFile, redact: Redactor): VerdictFile {
  const checked = verdictFileSchema.parse(redactDeep(verdict, redact));
  for (const [name, text] of [
    ['verdict.json', JSON.stringify(checked, null, 2) + '\n'],
    ['summary.md', renderSummary(checked)],
  ] as const) {
    writeFileAtomic(path.join(outputDir, name), text);
  }
  return checked;
}
