import fs from 'node:fs';
import path from 'node:path';
import { durationMs } from '../schema/governance-values.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { unreadable } from '../fs/named-file.ts';
import type { Redactor } from '../evidence/redact.ts';
import { redactBytes } from '../evidence/redact-files.ts';
import type { ManualEvidence, ManualVerdict } from '../store/manual-verdict-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import type { ManualTarget } from './manual-target.ts';

/**
 * The largest evidence file kept: each is read, redacted and stored whole in memory (Node reads at
 * most 2 GiB at once, and failed past it with ERR_FS_FILE_TOO_LARGE), as an archive in one unpacks
 * to at most 1 GiB.
 */
export const MAX_EVIDENCE_BYTES = 2 ** 30;

export type ManualRecording = {
  result: 'pass' | 'fail';
  note: string | null;
  lane: string;
  source: 'run' | 'record';
  /** Evidence files as named to the person: redacted before they reach the store. */
  files: ReadonlyArray<{ name: string; file: string }>;
  actor: string;
};

/**
 * Records a person's verdict: each evidence file redacted in memory like gate evidence (traces
 * entry by entry; a file that cannot be read for secrets is refused, never stored as it is), put
 * in the blobs by content, then the verdict (its note redacted the same way), valid for the check's
 * valid_for from its recording.
 */
export async function recordManual(
  store: QueueStore,
  target: ManualTarget,
  recording: ManualRecording,
  redact: Redactor,
): Promise<ManualVerdict> {
  const evidence: ManualEvidence[] = [];
  const cleaned = recording.files.map(({ name, file }) => ({
    name,
    bytes: redactedEvidence(file, recording.source, redact),
  }));
  for (const { name, bytes } of cleaned) evidence.push({ name, ...(await store.blobs.put(Buffer.from(bytes))) });
  return store.recordManualVerdict({
    pack: target.pack.id,
    environment: target.environment,
    check: target.check.id,
    result: recording.result,
    // The note is free text a person typed: a password pasted in it must not reach the store or verdict.json.
    note: recording.note === null ? null : redact(recording.note),
    lane: recording.lane,
    source: recording.source,
    evidence,
    validForMs: Math.max(1, Math.round(durationMs(target.check.valid_for))),
    recordedBy: recording.actor,
  });
}

/**
 * The file's bytes with secrets removed; INPUT_INVALID when it cannot be read or vouched for. Every
 * file is read before the store is written, so a file that cannot be read records nothing. The
 * command checked `manual record`'s files, but one may go (or become a folder) before it is read.
 */
function redactedEvidence(file: string, source: ManualRecording['source'], redact: Redactor): Uint8Array {
  let bytes: Buffer;
  try {
    const { size } = fs.statSync(file);
    if (size > MAX_EVIDENCE_BYTES)
      throw new PackgateError(
        'INPUT_INVALID',
        `evidence ${file} is ${size} bytes: more than the ${MAX_EVIDENCE_BYTES} (1 GiB) a file of evidence may be; nothing recorded`,
        {
          hint:
            source === 'run'
              ? 'the session ran long: run the check again, closing the page once you have seen what it expects'
              : 'cut it to the part that shows the check (a shorter video, a screenshot), or split it into files of at most 1 GiB',
        },
      );
    bytes = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof PackgateError) throw error;
    const { code } = error as NodeJS.ErrnoException;
    throw new PackgateError('INPUT_INVALID', `evidence ${file}: ${unreadable(error)}; nothing recorded`, {
      hint:
        source === 'run'
          ? "the session's recording was lost before it was stored: run the check again"
          : code === 'EISDIR'
            ? 'name the files in it one by one (--evidence each: a trace, a video, a screenshot, notes)'
            : 'name a file that exists and can be read (a trace, a video, a screenshot, notes)',
    });
  }
  const result = redactBytes(bytes, path.basename(file), redact, 0);
  if (result.bytes === undefined || result.quarantined.length)
    throw new PackgateError(
      'INPUT_INVALID',
      `evidence ${file} could not be redacted: ${result.quarantined.map(q => `${q.path}: ${q.reason}`).join('; ')}`,
      { hint: 'give text, images, video or a trace zip: what cannot be checked for secrets is not stored' },
    );
  return result.bytes;
}
