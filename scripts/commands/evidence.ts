import path from 'node:path';
import { ATTEST_KEY_VAR, ATTEST_PUBLIC_KEY_VAR, loadPublicKey } from '../../src/evidence/keys.ts';
import { verifyGateOutput, type SignatureCheck, type VerifyResult } from '../../src/evidence/verify.ts';
import { plural, printJson, table } from './kit.ts';

/**
 * Checks a gate output folder against its attestation.intoto.json. Exit 0 when every file matches
 * (and the signature verifies, when a key is given); 1 when a file was changed, removed or added,
 * or the signature does not verify; 2 for bad input (no folder, no or malformed attestation, bad key).
 */
export function evidenceVerify(dir: string, options: { key?: string; json?: boolean }): void {
  const fromEnv = process.env[ATTEST_PUBLIC_KEY_VAR] || undefined;
  const keySource = options.key ? `--key ${options.key}` : ATTEST_PUBLIC_KEY_VAR;
  const publicKey = options.key
    ? loadPublicKey(options.key, keySource)
    : fromEnv
      ? loadPublicKey(fromEnv, keySource)
      : undefined;
  const result = verifyGateOutput(dir, { publicKey });
  const { intact, ...rest } = result;
  if (options.json) printJson({ ok: intact, ...rest });
  else process.stdout.write(render(result, keySource).join('\n') + '\n');
  if (!result.intact) process.exitCode = 1;
}

/**
 * TAMPERED only for what shows a change: a file, or a signature by the key given that no longer
 * verifies. An attestation signed by another key, or not signed at all, shows none (a signature
 * removed and one never made look the same): NOT VERIFIED, saying why, with what to do, and still
 * exit 1, since the attestation is not shown to be the trusted signer's.
 */
function render(result: VerifyResult, keySource: string): string[] {
  const { tests, mismatches, signature } = result;
  const attestation = path.basename(result.attestation);
  const changed = [
    mismatches.length &&
      `${plural(mismatches.length, 'file')} in ${result.dir} ${mismatches.length === 1 ? 'differs' : 'differ'} from ${attestation}`,
    signature.status === 'invalid' &&
      signature.cause === 'changed' &&
      'the signature does not verify with the key given',
  ].filter((why): why is string => !!why);
  const unverified = unverifiedBecause(signature, keySource);
  const matching = `${plural(result.subjects, 'file')} in ${result.dir} match ${attestation}`;
  const head = changed.length
    ? `evidence TAMPERED: ${[...changed, ...(unverified ? [unverified] : [])].join('; ')}`
    : unverified
      ? `evidence NOT VERIFIED: ${unverified}; its ${matching}`
      : `evidence intact: ${matching}`;
  return [
    head,
    ...(mismatches.length
      ? table(
          ['FILE', 'PROBLEM'],
          mismatches.map(m => [m.file, WHY[m.problem]]),
        ).map(line => `  ${line}`)
      : []),
    `  result ${result.result}: ${tests.passed} passed, ${tests.warned} warned, ${tests.failed} failed`,
    `  signature: ${describeSignature(signature, keySource)}`,
    ...(signature.status === 'invalid' && signature.cause === 'other-key'
      ? [
          `  hint: verify with the signer's public key (keyid ${signature.signedBy.join(', ')}), the pair of the ` +
            `${ATTEST_KEY_VAR} the gate ran with; if ${keySource} is the key you trust, this folder was not attested by its holder`,
        ]
      : []),
    ...(signature.status === 'unsigned'
      ? [
          `  hint: the gate signs only when ${ATTEST_KEY_VAR} is set, and anyone can write an unsigned attestation; ` +
            `to verify where the evidence comes from, run the gate with ${ATTEST_KEY_VAR} set to the private key of ${keySource}'s pair`,
        ]
      : []),
  ];
}

/** Why the attestation's origin is not verified with the key given, when nothing shows it changed. */
function unverifiedBecause(signature: SignatureCheck, keySource: string): string | undefined {
  if (signature.status === 'unsigned') return `the attestation is not signed (a key was given: ${keySource})`;
  if (signature.status !== 'invalid' || signature.cause === 'changed') return undefined;
  return signature.cause === 'other-key'
    ? `signed by another key than the one given (${keySource})`
    : `no signature verifies with the key given (${keySource}), and not every one names its key`;
}

const WHY = {
  changed: 'changed since it was attested',
  missing: 'missing: attested, no longer in the folder',
  added: 'added: in the folder, not attested',
} as const;

function describeSignature(check: SignatureCheck, keySource: string): string {
  switch (check.status) {
    case 'valid':
      return `valid (ed25519, keyid ${check.keyid})`;
    case 'invalid':
      if (check.cause === 'other-key')
        return `OTHER KEY: made by keyid ${check.signedBy.join(', ')}, not by the key given (${keySource}, keyid ${check.keyid})`;
      if (check.cause === 'changed')
        return `INVALID: the signature by the key given (keyid ${check.keyid}) does not verify: the attestation changed after it was signed`;
      return `INVALID: none of ${plural(check.signatures, 'signature')} verifies with the key given (keyid ${check.keyid})`;
    case 'unsigned':
      return `UNSIGNED: no signature to check with the key given (${keySource}, keyid ${check.keyid}): who attested it is not known`;
    case 'not-checked':
      return check.signatures
        ? `not checked: ${plural(check.signatures, 'signature')}; give --key <file> or ${ATTEST_PUBLIC_KEY_VAR} to check it`
        : 'none: the attestation is unsigned, so it shows changes but not who attested';
  }
}
