import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorLine } from '../diagnostics/first-line.ts';
import { ATTESTATION_FILE } from '../evidence/attest.ts';
import { verifyGateOutput } from '../evidence/verify.ts';
import { REPORT_FILES } from '../schema/constants.ts';
import type { GateRun } from '../store/queue-schema.ts';
import type { QueueStore } from '../store/queue-store.ts';
import type { Verification } from './api-schemas.ts';

/**
 * A run's evidence checked against its attestation, as `packgate evidence verify` checks a folder:
 * the run's recorded files are laid out from the store's blobs in a scratch folder and verified
 * there. The run's own output folder may be gone or rewritten by a later run; the store's copy is
 * what the dashboard shows, so that is what is checked. A blob that is missing or changed shows as
 * a missing or changed file.
 */
export async function verifyRun(store: QueueStore, run: GateRun, publicKey?: KeyObject): Promise<Verification> {
  if (!run.evidence.some(e => e.path === ATTESTATION_FILE))
    return {
      status: 'no-attestation',
      summary: `gate run ${run.id} recorded no ${ATTESTATION_FILE}: its evidence cannot be checked`,
      signature: null,
      keyid: null,
      mismatches: [],
    };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-verify-'));
  try {
    for (const ref of run.evidence) {
      // The Allure report, built later from the attested results, is no subject of the attestation.
      if (ref.path.startsWith(`${REPORT_FILES.allureReport}/`)) continue;
      const target = path.resolve(dir, ref.path);
      // A recorded path is relative and inside the folder; one that is not is left out (and shows as missing).
      if (!target.startsWith(dir + path.sep)) continue;
      const content = await store.blobs.get(ref.digest);
      if (!content) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    const result = verifyGateOutput(dir, { publicKey });
    const mismatches = result.mismatches.map(m => ({ file: m.file, problem: m.problem }));
    const keyid = 'keyid' in result.signature ? result.signature.keyid : null;
    const signature = result.signature.status;
    const differ = mismatches.length === 1 ? '1 file differs' : `${mismatches.length} files differ`;
    if (mismatches.length)
      return {
        status: 'changed',
        summary: `${differ} from the attestation: ${mismatches.map(m => `${m.file} (${m.problem})`).join(', ')}`,
        signature,
        keyid,
        mismatches,
      };
    if (signature === 'invalid')
      return {
        status: 'bad-signature',
        summary: `${result.subjects} files match the attestation, but no signature on it verifies with key ${keyid}`,
        signature,
        keyid,
        mismatches,
      };
    if (result.signature.signatures === 0)
      return {
        status: 'unsigned',
        summary: `${result.subjects} files match the attestation, which is not signed`,
        signature,
        keyid,
        mismatches,
      };
    return {
      status: 'intact',
      summary:
        signature === 'valid'
          ? `${result.subjects} files match the attestation, signed by key ${keyid}`
          : `${result.subjects} files match the attestation; its signature is not checked (no public key configured)`,
      signature,
      keyid,
      mismatches,
    };
  } catch (error) {
    return { status: 'unreadable', summary: errorLine(error), signature: null, keyid: null, mismatches: [] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
