import { verify as verifySignature, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { dsseEnvelopeSchema, testResultStatementSchema, type TestResult } from '../schema/attestation.ts';
import { ATTESTATION_FILE, pae, publishedFiles, publishedLinks, sha256File } from './attest.ts';
import { keyId } from './keys.ts';
import { parseJsonText, readJsonFile } from './read-json.ts';

/** A published file that does not match the attestation. */
export type FileMismatch =
  | { file: string; problem: 'changed'; expected: string; actual: string }
  /** A subject the folder no longer has (or has as something other than a file). */
  | { file: string; problem: 'missing'; expected: string }
  /** A published file (verdict.json, summary.md, evidence/**) that is not a subject. */
  | { file: string; problem: 'added'; actual: string }
  /**
   * A symbolic link where the gate publishes files (it writes none): whatever it points at, in the
   * folder or out of it, was not attested, and can change after any check. Files reached through it
   * are not listed besides.
   */
  | { file: string; problem: 'link' };

export type SignatureCheck =
  /** A signature verifies with the key given. */
  | { status: 'valid'; keyid: string; signatures: number }
  /**
   * A key was given and no signature verifies with it. `cause`, from the keyids the signatures name
   * (`signedBy`): `other-key` when none names the key given (signed by another key, not a change);
   * `changed` when one names it and does not verify (the envelope changed after it was signed);
   * `unknown` when a signature names no key.
   */
  | {
      status: 'invalid';
      keyid: string;
      signatures: number;
      signedBy: string[];
      cause: 'other-key' | 'changed' | 'unknown';
    }
  /**
   * A key was given and the attestation has no signature: its origin is not verified, and no change
   * is shown (a signature removed and one never made look the same).
   */
  | { status: 'unsigned'; keyid: string; signatures: 0 }
  /** No key was given: the files are checked against the statement, its origin is not. */
  | { status: 'not-checked'; signatures: number };

/** Why, with a key given, nothing shows a change and nothing shows the key's holder attested it. */
export type Unverified = 'other-key' | 'unsigned' | 'unknown';

/**
 * What a check found, decided here once: `packgate evidence verify` and the dashboard only word it.
 * - `intact`: every file matches, and a signature verifies with the key given (or no key was given);
 * - `tampered`: something shows a change: a file (`files`), or a signature by the key given that no
 *   longer verifies (`signature`); `unverified` when the signatures also fail to show their origin;
 * - `not-verified`: the files match and nothing shows a change, but with the key given the origin is
 *   not shown either: signed by another key, not signed (a signature removed and one never made look
 *   the same), or a signature that names no key (`unknown`: a change or another key, it cannot tell).
 */
export type Outcome =
  | { kind: 'intact' }
  | { kind: 'tampered'; files: boolean; signature: boolean; unverified?: Unverified }
  | { kind: 'not-verified'; why: Unverified };

export function outcomeOf({ mismatches, signature }: Pick<VerifyResult, 'mismatches' | 'signature'>): Outcome {
  const signatureChanged = signature.status === 'invalid' && signature.cause === 'changed';
  const unverified =
    signature.status === 'unsigned'
      ? 'unsigned'
      : signature.status === 'invalid' && signature.cause !== 'changed'
        ? signature.cause
        : undefined;
  if (mismatches.length || signatureChanged)
    return {
      kind: 'tampered',
      files: mismatches.length > 0,
      signature: signatureChanged,
      ...(unverified && { unverified }),
    };
  return unverified ? { kind: 'not-verified', why: unverified } : { kind: 'intact' };
}

export type VerifyResult = {
  /** `outcomeOf` says intact: `evidence verify` exits 0. */
  intact: boolean;
  dir: string;
  attestation: string;
  subjects: number;
  result: TestResult;
  tests: { passed: number; warned: number; failed: number };
  mismatches: FileMismatch[];
  signature: SignatureCheck;
};

const HINT = 'the gate writes it at the end of a run; verify the folder a run wrote (gate-results by default)';
/** The gate writes the attestation whole (atomically): one that is not as it writes it was altered since. */
const MALFORMED_HINT =
  'the gate writes it whole at the end of a run, so this one was edited or cut short since: ' +
  'nothing in the folder can be checked against it; do not trust the folder, run the gate again for a new one';

/**
 * Checks a gate output folder against its attestation:
 * 1. read the DSSE envelope and decode its in-toto statement, rejecting anything malformed (exit 2);
 * 2. with a public key, check that a signature verifies over PAE(payloadType, payload);
 * 3. re-hash every subject, and list published files that are not subjects.
 * Bad input throws a PackgateError; a folder that does not match comes back with `intact: false`.
 */
export function verifyGateOutput(dir: string, options: { publicKey?: KeyObject } = {}): VerifyResult {
  const root = path.resolve(dir);
  const stat = fs.statSync(root, { throwIfNoEntry: false });
  if (!stat)
    throw new PackgateError('INPUT_INVALID', `no gate output folder at ${dir}`, {
      hint: 'give the folder a gate run wrote',
    });
  if (!stat.isDirectory())
    throw new PackgateError('INPUT_INVALID', `${dir} is not a folder`, { hint: 'give the folder a gate run wrote' });

  const shown = path.join(dir, ATTESTATION_FILE);
  const envelope = readJsonFile(path.join(root, ATTESTATION_FILE), dsseEnvelopeSchema, {
    shown,
    name: 'attestation',
    what: 'a DSSE envelope of an in-toto statement',
    described: 'the DSSE envelope spec (github.com/secure-systems-lab/dsse)',
    hint: HINT,
    malformedHint: MALFORMED_HINT,
  });
  const payload = Buffer.from(envelope.payload, 'base64');
  const statement = parseJsonText(payload.toString('utf8'), testResultStatementSchema, {
    shown: `${shown} (payload)`,
    name: 'statement',
    what: 'an in-toto test-result statement',
    described: 'the in-toto test-result predicate spec (github.com/in-toto/attestation)',
    hint: MALFORMED_HINT,
  });

  const signature = checkSignature(envelope.payloadType, payload, envelope.signatures, options.publicKey);
  const mismatches: FileMismatch[] = [];
  const subjects = new Set<string>();
  const links = publishedLinks(root);
  const throughLink = (file: string) => links.some(link => file === link || file.startsWith(`${link}/`));
  for (const subject of statement.subject) {
    subjects.add(subject.name);
    if (throughLink(subject.name)) continue;
    const expected = subject.digest.sha256;
    const actual = hashIfFile(path.join(root, subject.name));
    if (actual === undefined) mismatches.push({ file: subject.name, problem: 'missing', expected });
    else if (actual !== expected) mismatches.push({ file: subject.name, problem: 'changed', expected, actual });
  }
  mismatches.push(...links.map(file => ({ file, problem: 'link' as const })));
  for (const file of publishedFiles(root))
    if (!subjects.has(file) && !throughLink(file))
      mismatches.push({ file, problem: 'added', actual: sha256File(path.join(root, file)) });

  const { predicate } = statement;
  return {
    intact: outcomeOf({ mismatches, signature }).kind === 'intact',
    dir,
    attestation: shown,
    subjects: subjects.size,
    result: predicate.result,
    tests: {
      passed: predicate.passedTests?.length ?? 0,
      warned: predicate.warnedTests?.length ?? 0,
      failed: predicate.failedTests?.length ?? 0,
    },
    mismatches,
    signature,
  };
}

/**
 * The keyid is only a hint (DSSE): every signature is tried against the one key trusted. When none
 * verifies, the keyids say why, and `outcomeOf` whether that shows a change: a wrong key given does not.
 */
function checkSignature(
  payloadType: string,
  payload: Buffer,
  signatures: Array<{ keyid?: string; sig: string }>,
  publicKey: KeyObject | undefined,
): SignatureCheck {
  if (!publicKey) return { status: 'not-checked', signatures: signatures.length };
  const keyid = keyId(publicKey);
  if (!signatures.length) return { status: 'unsigned', keyid, signatures: 0 };
  const message = pae(payloadType, payload);
  if (signatures.some(s => verifySignature(null, message, publicKey, Buffer.from(s.sig, 'base64'))))
    return { status: 'valid', keyid, signatures: signatures.length };
  const signedBy = signatures.flatMap(s => (s.keyid ? [s.keyid] : []));
  const cause = signedBy.includes(keyid) ? 'changed' : signedBy.length === signatures.length ? 'other-key' : 'unknown';
  return { status: 'invalid', keyid, signatures: signatures.length, signedBy, cause };
}

function hashIfFile(file: string): string | undefined {
  try {
    return fs.statSync(file).isFile() ? sha256File(file) : undefined;
  } catch {
    return undefined;
  }
}
