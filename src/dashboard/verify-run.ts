import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorLine } from '../diagnostics/first-line.ts';
import { ATTESTATION_FILE } from '../evidence/attest.ts';
import { ATTEST_KEY_VAR, ATTEST_PUBLIC_KEY_VAR } from '../evidence/keys.ts';
import { verifyGateOutput, type SignatureCheck } from '../evidence/verify.ts';
import { REPORT_FILES } from '../schema/constants.ts';
import { plural } from '../text/plural.ts';
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
      signedBy: [],
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
    const check = result.signature;
    const keyid = 'keyid' in check ? check.keyid : null;
    const signature = check.status;
    const signedBy = check.status === 'invalid' ? check.signedBy : [];
    const base = { signature, keyid, signedBy, mismatches };
    const differ = mismatches.length === 1 ? '1 file differs' : `${mismatches.length} files differ`;
    const match = `${plural(result.subjects, 'file')} ${result.subjects === 1 ? 'matches' : 'match'} the attestation`;
    if (mismatches.length)
      return {
        ...base,
        status: 'changed',
        summary:
          `${differ} from the attestation: ${mismatches.map(m => `${m.file} (${m.problem})`).join(', ')}` +
          (check.status === 'invalid' ? `; ${signatureProblem(check)}` : '') +
          (check.status === 'unsigned' ? `; ${NOT_SIGNED}, ${unverifiedWith(check.keyid)}` : ''),
      };
    // As `packgate evidence verify` says it: another key is no change; a signature by this key that fails is.
    if (check.status === 'invalid' && check.cause === 'other-key')
      return {
        ...base,
        status: 'other-key',
        summary: `${match}, ${signatureProblem(check)}; verify with the signer's public key`,
      };
    if (check.status === 'invalid')
      return { ...base, status: 'bad-signature', summary: `${match}, but ${signatureProblem(check)}` };
    // Not signed is no change either (a signature removed and one never made look the same): with the
    // dashboard's key, its origin is not verified, as `evidence verify --key` says NOT VERIFIED.
    if (check.status === 'unsigned')
      return {
        ...base,
        status: 'unsigned',
        summary: `${match}; ${NOT_SIGNED}, ${unverifiedWith(check.keyid)}; the gate signs it when ${ATTEST_KEY_VAR} is set`,
      };
    if (check.signatures === 0)
      return {
        ...base,
        status: 'unsigned',
        summary: `${match}; ${NOT_SIGNED}, so it shows changes but not who attested`,
      };
    return {
      ...base,
      status: 'intact',
      summary:
        signature === 'valid'
          ? `${match}, signed by key ${keyid}`
          : `${match}; its signature is not checked (no public key configured)`,
    };
  } catch (error) {
    return {
      status: 'unreadable',
      summary: errorLine(error),
      signature: null,
      keyid: null,
      signedBy: [],
      mismatches: [],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const NOT_SIGNED = 'the attestation is not signed';

function unverifiedWith(keyid: string): string {
  return `so its origin is not verified with the dashboard's key (${ATTEST_PUBLIC_KEY_VAR}, keyid ${keyid})`;
}

/** Why no signature verifies with the dashboard's key, by what the signatures name (src/evidence/verify.ts). */
function signatureProblem(check: Extract<SignatureCheck, { status: 'invalid' }>): string {
  switch (check.cause) {
    case 'other-key':
      return (
        `signed by another key (keyid ${check.signedBy.join(', ')}) than the dashboard's ` +
        `(${ATTEST_PUBLIC_KEY_VAR}, keyid ${check.keyid}): its origin is not verified`
      );
    case 'changed':
      return `its signature by key ${check.keyid} does not verify: the attestation changed after it was signed`;
    case 'unknown':
      return `no signature on it verifies with key ${check.keyid}, and not every one names its key`;
  }
}
