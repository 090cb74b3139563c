import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorLine } from '../diagnostics/first-line.ts';
import { ATTESTATION_FILE } from '../evidence/attest.ts';
import { ATTEST_KEY_VAR, ATTEST_PUBLIC_KEY_VAR } from '../evidence/keys.ts';
import { outcomeOf, verifyGateOutput, type SignatureCheck, type Unverified } from '../evidence/verify.ts';
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
    // The status words `outcomeOf`, as `packgate evidence verify` does: `intact` where it exits 0,
    // `changed` and `bad-signature` where it says TAMPERED, the others where it says NOT VERIFIED.
    const outcome = outcomeOf(result);
    const problem = signatureProblem(check);
    if (outcome.kind === 'tampered' && outcome.files)
      return {
        ...base,
        status: 'changed',
        summary:
          `${differ} from the attestation: ${mismatches.map(m => `${m.file} (${m.problem})`).join(', ')}` +
          (problem ? `; ${problem}` : ''),
      };
    if (outcome.kind === 'tampered') return { ...base, status: 'bad-signature', summary: `${match}, but ${problem}` };
    if (outcome.kind === 'not-verified') return { ...base, ...notVerified(outcome.why, match, problem) };
    return {
      ...base,
      status: 'intact',
      summary:
        signature === 'valid'
          ? `${match}, signed by key ${keyid}`
          : check.signatures
            ? `${match}; its signature is not checked (no public key configured)`
            : `${match}; ${NOT_SIGNED}, so it shows changes but not who attested`,
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

/** The files match and nothing shows a change, but with the dashboard's key nothing shows who attested them. */
function notVerified(why: Unverified, match: string, problem: string): Pick<Verification, 'status' | 'summary'> {
  switch (why) {
    case 'other-key':
      return { status: 'other-key', summary: `${match}, ${problem}; verify with the signer's public key` };
    case 'unknown':
      return { status: 'unknown-key', summary: `${match}, but ${problem}` };
    case 'unsigned':
      return { status: 'unsigned', summary: `${match}; ${problem}; the gate signs it when ${ATTEST_KEY_VAR} is set` };
  }
}

/** Why no signature verifies with the dashboard's key, or there is none, by what the signatures name; else ''. */
function signatureProblem(check: SignatureCheck): string {
  if (check.status === 'unsigned') return `${NOT_SIGNED}, ${unverifiedWith(check.keyid)}`;
  if (check.status !== 'invalid') return '';
  switch (check.cause) {
    case 'other-key':
      return (
        `signed by another key (keyid ${check.signedBy.join(', ')}) than the dashboard's ` +
        `(${ATTEST_PUBLIC_KEY_VAR}, keyid ${check.keyid}): its origin is not verified`
      );
    case 'changed':
      return `its signature by key ${check.keyid} does not verify: the attestation changed after it was signed`;
    case 'unknown':
      return (
        `no signature on it verifies with the dashboard's key (${ATTEST_PUBLIC_KEY_VAR}, keyid ${check.keyid}), ` +
        'and not every one names its key: its origin is not verified'
      );
  }
}
