import path from 'node:path';
import { PackgateError } from '../../src/diagnostics/errors.ts';
import { ATTEST_KEY_VAR, ATTEST_PUBLIC_KEY_VAR, loadPublicKey } from '../../src/evidence/keys.ts';
import {
  outcomeOf,
  verifyGateOutput,
  type Outcome,
  type SignatureCheck,
  type Unverified,
  type VerifyResult,
} from '../../src/evidence/verify.ts';
import { plural, printJson, table } from './kit.ts';

/**
 * Checks a gate output folder against its attestation.intoto.json. Exit 0 when every file matches
 * (and the signature verifies, when a key is given); 1 when a file was changed, removed or added,
 * or the signature does not verify; 2 for bad input (no folder, no or malformed attestation, bad key).
 */
export function evidenceVerify(dir: string, options: { key?: string; json?: boolean }): void {
  // `--key "$VAR"` with the variable unset or empty in CI: said, not read as no --key at all (which
  // would pass a folder whose signature nobody checked, even one re-attested unsigned after a change).
  if (options.key !== undefined && !options.key.trim())
    throw new PackgateError('INPUT_INVALID', '--key is empty: no public key to check the signature with', {
      hint:
        "is the variable it comes from unset? give the path of the signer's public key (--key attest.pub), " +
        'or leave --key out to check the files only',
    });
  // The same of the variable: set but empty (a CI secret that is missing) is not "no key".
  const fromEnv = process.env[ATTEST_PUBLIC_KEY_VAR];
  if (options.key === undefined && fromEnv !== undefined && !fromEnv.trim())
    throw new PackgateError(
      'INPUT_INVALID',
      `${ATTEST_PUBLIC_KEY_VAR} is set but empty: no public key to check the signature with`,
      {
        hint:
          "is the secret it comes from missing? set it to the signer's public key (PEM, or a file's path), " +
          'or unset it to check the files only',
      },
    );
  const keySource = options.key ? `--key ${options.key}` : ATTEST_PUBLIC_KEY_VAR;
  // Neither is blank by now: --key, else the variable, else no key.
  const key = options.key ?? fromEnv;
  const publicKey = key ? loadPublicKey(key, keySource) : undefined;
  const result = verifyGateOutput(dir, { publicKey });
  const { intact, ...rest } = result;
  if (options.json) printJson({ ok: intact, ...rest });
  else process.stdout.write(render(result, keySource).join('\n') + '\n');
  if (!result.intact) process.exitCode = 1;
}

/**
 * Words `outcomeOf`: TAMPERED for a change (a file, or a signature by the key given that no longer
 * verifies); NOT VERIFIED when nothing shows a change but the attestation is not shown to be the
 * key's holder's, saying why, with what to do, and still exit 1.
 */
function render(result: VerifyResult, keySource: string): string[] {
  const { tests, mismatches, signature } = result;
  return [
    headLine(outcomeOf(result), result, keySource),
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
    ...(signature.status === 'invalid' && signature.cause === 'unknown'
      ? [
          `  hint: verify with the signer's public key, the pair of the ${ATTEST_KEY_VAR} the gate ran with (the gate ` +
            `names its key in every signature); if ${keySource} is that key, the attestation changed after it was signed`,
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

function headLine(outcome: Outcome, result: VerifyResult, keySource: string): string {
  const attestation = path.basename(result.attestation);
  const matching = `${plural(result.subjects, 'file')} in ${result.dir} match ${attestation}`;
  switch (outcome.kind) {
    case 'intact':
      return `evidence intact: ${matching}`;
    case 'not-verified':
      return `evidence NOT VERIFIED: ${unverifiedBecause(outcome.why, keySource)}; its ${matching}`;
    case 'tampered': {
      const differ = result.mismatches.length === 1 ? 'differs' : 'differ';
      const changes = [
        outcome.files && `${plural(result.mismatches.length, 'file')} in ${result.dir} ${differ} from ${attestation}`,
        outcome.signature && 'the signature does not verify with the key given',
        outcome.unverified && unverifiedBecause(outcome.unverified, keySource),
      ];
      return `evidence TAMPERED: ${changes.filter(Boolean).join('; ')}`;
    }
  }
}

/** Why the attestation's origin is not verified with the key given. */
function unverifiedBecause(why: Unverified, keySource: string): string {
  switch (why) {
    case 'unsigned':
      return `the attestation is not signed (a key was given: ${keySource})`;
    case 'other-key':
      return `signed by another key than the one given (${keySource})`;
    case 'unknown':
      return `no signature verifies with the key given (${keySource}), and not every one names its key`;
  }
}

const WHY = {
  changed: 'changed since it was attested',
  missing: 'missing: attested, no longer in the folder',
  added: 'added: in the folder, not attested',
  link: 'a symbolic link: the gate writes none, and what it points at was not attested',
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
      return (
        `UNKNOWN KEY: none of ${plural(check.signatures, 'signature')} verifies with the key given (${keySource}, keyid ` +
        `${check.keyid}), and not every one names its key: another key's, or changed after it was signed, it cannot tell`
      );
    case 'unsigned':
      return `UNSIGNED: no signature to check with the key given (${keySource}, keyid ${check.keyid}): who attested it is not known`;
    case 'not-checked':
      return check.signatures
        ? `not checked: ${plural(check.signatures, 'signature')}; give --key <file> or ${ATTEST_PUBLIC_KEY_VAR} to check it`
        : 'none: the attestation is unsigned, so it shows changes but not who attested';
  }
}
