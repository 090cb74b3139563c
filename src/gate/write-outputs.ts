import fs from 'node:fs';
import path from 'node:path';
import { redactDeep, type Redactor } from '../evidence/redact.ts';
import { redactFileInPlace } from '../evidence/redact-files.ts';
import { verdictFileSchema, type VerdictFile } from '../schema/verdict.ts';
import type { AssembledRun } from './assemble.ts';
import type { ObservedTest } from './observe.ts';
import { replaceOutputDir, REPORTS_OF_THIS_RUN } from './output-dir.ts';
import { verdictTexts } from './render.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

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

function writeVerdictFiles(dir: string, verdict: VerdictFile, redact: Redactor): VerdictFile {
  const checked = verdictFileSchema.parse(redactDeep(verdict, redact));
  for (const [name, text] of verdictTexts(checked)) fs.writeFileSync(path.join(dir, name), text);
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
      // A folder name reaches disk as any string does: a secret in a title is redacted before it names one.
      const name = uniqueName(
        `${slug(redact(test.title))}/attempt-${attachment.attempt + 1}-${path.basename(attachment.path)}`,
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
      ...(test.skipReason !== undefined ? { skipReason: test.skipReason } : {}),
      // A test that never started has no error of its own: why it did not run (a failed sign-in setup).
      ...(test.notRunBecause !== undefined ? { notRunBecause: test.notRunBecause } : {}),
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

/** The folder of a test's attachments in its pack's evidence: its title, lower-case, in dashes. */
export function slug(text: string): string {
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
  for (const [name, text] of verdictTexts(checked)) writeFileAtomic(path.join(outputDir, name), text);
  return checked;
}
