import path from 'node:path';
import { ATTEST_PUBLIC_KEY_VAR, loadPublicKey } from '../../src/evidence/keys.ts';
import { verifyGateOutput, type SignatureCheck, type VerifyResult } from '../../src/evidence/verify.ts';
import { plural, printJson, table } from './kit.ts';

/**
 * Checks a gate output folder against its attestation.intoto.json. Exit 0 when every file matches
 * (and the signature verifies, when a key is given); 1 when a file was changed, removed or added,
 * or the signature does not verify; 2 for bad input (no folder, no or malformed attestation, bad key).
 */
export function evidenceVerify(dir: string, options: { key?: string; json?: boolean }): void {
  const fromEnv = process.env[ATTEST_PUBLIC_KEY_VAR] || undefined;
  const publicKey = options.key
    ? loadPublicKey(options.key, `--key ${options.key}`)
    : fromEnv
      ? loadPublicKey(fromEnv, ATTEST_PUBLIC_KEY_VAR)
      : undefined;
  const result = verifyGateOutput(dir, { publicKey });
  const { intact, ...rest } = result;
  if (options.json) printJson({ ok: intact, ...rest });
  else process.stdout.write(render(result).join('\n') + '\n');
  if (!result.intact) process.exitCode = 1;
}

function render(result: VerifyResult): string[] {
  const { tests, mismatches, signature } = result;
  const attestation = path.basename(result.attestation);
  const badSignature = signature.status === 'invalid' || signature.status === 'unsigned';
  const wrong = [
    mismatches.length &&
      `${plural(mismatches.length, 'file')} in ${result.dir} ${mismatches.length === 1 ? 'differs' : 'differ'} from ${attestation}`,
    badSignature && 'the signature does not verify with the key given',
  ].filter((why): why is string => !!why);
  const head = wrong.length
    ? `evidence TAMPERED: ${wrong.join('; ')}`
    : `evidence intact: ${plural(result.subjects, 'file')} in ${result.dir} match ${attestation}`;
  return [
    head,
    ...(mismatches.length
      ? table(
          ['FILE', 'PROBLEM'],
          mismatches.map(m => [m.file, WHY[m.problem]]),
        ).map(line => `  ${line}`)
      : []),
    `  result ${result.result}: ${tests.passed} passed, ${tests.warned} warned, ${tests.failed} failed`,
    `  signature: ${describeSignature(signature)}`,
  ];
}

const WHY = {
  changed: 'changed since it was attested',
  missing: 'missing: attested, no longer in the folder',
  added: 'added: in the folder, not attested',
} as const;

function describeSignature(check: SignatureCheck): string {
  switch (check.status) {
    case 'valid':
      return `valid (ed25519, keyid ${check.keyid})`;
    case 'invalid':
      return `INVALID: none of ${plural(check.signatures, 'signature')} verifies with the key given (keyid ${check.keyid})`;
    case 'unsigned':
      return `MISSING: the attestation is not signed, and a key was given (keyid ${check.keyid})`;
    case 'not-checked':
      return check.signatures
        ? `not checked: ${plural(check.signatures, 'signature')}; give --key <file> or ${ATTEST_PUBLIC_KEY_VAR} to check it`
        : 'none: the attestation is unsigned, so it shows changes but not who attested';
  }
}
