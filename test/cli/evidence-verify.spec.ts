import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type TestInfo } from '@playwright/test';
import { ATTESTATION_FILE, attestGateOutput } from '../../src/evidence/attest.ts';
import { writeGateOutput } from '../helpers/gate-output.ts';
import { REPO } from '../helpers/ports.ts';

const TRACE = 'evidence/auth-session/sign-in/attempt-2-trace.zip';

/** A gate output folder with a trace, attested (signed when a key is given), in the test's own folder. */
function attested(testInfo: TestInfo, key?: ReturnType<typeof generateKeyPairSync>['privateKey']): string {
  const dir = testInfo.outputPath('gate-results');
  writeGateOutput(dir, { trace: true });
  attestGateOutput(dir, { key: key ?? null, commit: null, env: {} });
  return dir;
}

test('an untouched folder is intact: exit 0 and a short summary', async ({}, testInfo) => {
  attested(testInfo);
  const result = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(result.stdout).toBe(
    'evidence intact: 4 files in gate-results match attestation.intoto.json\n' +
      '  result PASSED: 0 passed, 0 warned, 0 failed\n' +
      '  signature: none: the attestation is unsigned, so it shows changes but not who attested\n',
  );
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
});

test('one changed byte of one evidence file: exit 1 naming that file', async ({}, testInfo) => {
  const dir = attested(testInfo);
  const trace = fs.readFileSync(path.join(dir, TRACE));
  trace[5] ^= 1;
  fs.writeFileSync(path.join(dir, TRACE), trace);
  const result = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(result.stdout).toBe(
    'evidence TAMPERED: 1 file in gate-results differs from attestation.intoto.json\n' +
      '  FILE                                               PROBLEM\n' +
      `  ${TRACE}  changed since it was attested\n` +
      '  result PASSED: 0 passed, 0 warned, 0 failed\n' +
      '  signature: none: the attestation is unsigned, so it shows changes but not who attested\n',
  );
  expect(result.exitCode).toBe(1);
});

test('a deleted file and an added one: exit 1 naming both; --json lists them', async ({}, testInfo) => {
  const dir = attested(testInfo);
  fs.rmSync(path.join(dir, 'summary.md'));
  fs.writeFileSync(path.join(dir, 'evidence/auth-session/note.txt'), 'added later\n');
  const result = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(result.stdout).toBe(
    'evidence TAMPERED: 2 files in gate-results differ from attestation.intoto.json\n' +
      '  FILE                            PROBLEM\n' +
      '  summary.md                      missing: attested, no longer in the folder\n' +
      '  evidence/auth-session/note.txt  added: in the folder, not attested\n' +
      '  result PASSED: 0 passed, 0 warned, 0 failed\n' +
      '  signature: none: the attestation is unsigned, so it shows changes but not who attested\n',
  );
  expect(result.exitCode).toBe(1);

  const json = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--json']);
  expect(JSON.parse(json.stdout)).toMatchObject({
    schemaVersion: 1,
    ok: false,
    subjects: 4,
    result: 'PASSED',
    mismatches: [
      { file: 'summary.md', problem: 'missing' },
      { file: 'evidence/auth-session/note.txt', problem: 'added' },
    ],
    signature: { status: 'not-checked', signatures: 0 },
  });
  expect(json.exitCode).toBe(1);
});

test('symbolic links are changes, exit 1: a file swapped for a link, a folder linked in, a dangling link', async ({}, testInfo) => {
  const dir = attested(testInfo);
  // The same bytes, now outside the folder: what the link shows can change after the check.
  const outside = testInfo.outputPath('outside');
  fs.mkdirSync(outside);
  fs.renameSync(path.join(dir, 'summary.md'), path.join(outside, 'summary.md'));
  fs.symlinkSync(path.join(outside, 'summary.md'), path.join(dir, 'summary.md'));
  fs.writeFileSync(path.join(outside, 'planted.txt'), 'not attested\n');
  fs.symlinkSync(outside, path.join(dir, 'evidence/auth-session/more'));
  fs.symlinkSync(path.join(outside, 'nothing-here'), path.join(dir, 'evidence/dangling'));
  const result = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(result.stdout).toBe(
    'evidence TAMPERED: 3 files in gate-results differ from attestation.intoto.json\n' +
      '  FILE                        PROBLEM\n' +
      '  evidence/auth-session/more  a symbolic link: the gate writes none, and what it points at was not attested\n' +
      '  evidence/dangling           a symbolic link: the gate writes none, and what it points at was not attested\n' +
      '  summary.md                  a symbolic link: the gate writes none, and what it points at was not attested\n' +
      '  result PASSED: 0 passed, 0 warned, 0 failed\n' +
      '  signature: none: the attestation is unsigned, so it shows changes but not who attested\n',
  );
  expect(result.exitCode).toBe(1);

  // The evidence folder itself swapped for a link to a faithful copy: one line, for the link.
  fs.rmSync(dir, { recursive: true });
  attested(testInfo);
  fs.renameSync(path.join(dir, 'evidence'), path.join(outside, 'evidence'));
  fs.symlinkSync(path.join(outside, 'evidence'), path.join(dir, 'evidence'));
  const json = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--json']);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, mismatches: [{ file: 'evidence', problem: 'link' }] });
  expect(json.exitCode).toBe(1);
});

test('a signed folder verifies with its public key (--key or PACKGATE_ATTEST_PUBLIC_KEY), not with another', async ({}, testInfo) => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const dir = attested(testInfo, privateKey);
  const pub = (key: typeof publicKey) => key.export({ type: 'spki', format: 'pem' }).toString();
  const other = generateKeyPairSync('ed25519').publicKey;
  const keyid = (key: typeof publicKey) =>
    createHash('sha256')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest('hex');
  fs.writeFileSync(testInfo.outputPath('attest.pub'), pub(publicKey));
  fs.writeFileSync(testInfo.outputPath('other.pub'), pub(other));

  const good = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'attest.pub']);
  expect(good.stdout).toMatch(/\n {2}signature: valid \(ed25519, keyid [0-9a-f]{64}\)\n$/);
  expect(good.exitCode).toBe(0);

  const fromEnv = await packgate(testInfo, ['evidence', 'verify', 'gate-results'], {
    PACKGATE_ATTEST_PUBLIC_KEY: pub(publicKey),
  });
  expect(fromEnv.stdout).toContain('signature: valid');
  expect(fromEnv.exitCode).toBe(0);

  // Another key than the signer's: nothing was changed, so not TAMPERED; both keys named, and what to do.
  const wrong = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'other.pub']);
  expect(wrong.stdout).toBe(
    'evidence NOT VERIFIED: signed by another key than the one given (--key other.pub); ' +
      'its 4 files in gate-results match attestation.intoto.json\n' +
      '  result PASSED: 0 passed, 0 warned, 0 failed\n' +
      `  signature: OTHER KEY: made by keyid ${keyid(publicKey)}, not by the key given (--key other.pub, keyid ${keyid(other)})\n` +
      `  hint: verify with the signer's public key (keyid ${keyid(publicKey)}), the pair of the PACKGATE_ATTEST_KEY ` +
      'the gate ran with; if --key other.pub is the key you trust, this folder was not attested by its holder\n',
  );
  expect(wrong.exitCode).toBe(1);
  const wrongJson = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--json'], {
    PACKGATE_ATTEST_PUBLIC_KEY: pub(other),
  });
  expect(JSON.parse(wrongJson.stdout)).toMatchObject({
    ok: false,
    mismatches: [],
    signature: { status: 'invalid', cause: 'other-key', keyid: keyid(other), signedBy: [keyid(publicKey)] },
  });

  // The statement edited after it was signed, its keyid kept: the signer's key no longer verifies it.
  const file = path.join(dir, ATTESTATION_FILE);
  const envelope = JSON.parse(fs.readFileSync(file, 'utf8')) as { payload: string };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  statement.predicate.result = 'FAILED';
  envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  fs.writeFileSync(file, JSON.stringify(envelope));
  const tampered = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'attest.pub']);
  expect(tampered.stdout).toMatch(/^evidence TAMPERED: the signature does not verify with the key given\n/);
  expect(tampered.stdout).toContain(
    `signature: INVALID: the signature by the key given (keyid ${keyid(publicKey)}) does not verify: ` +
      'the attestation changed after it was signed\n',
  );
  expect(tampered.exitCode).toBe(1);
});

test('an unsigned folder checked with a key is NOT VERIFIED, not TAMPERED: nothing shows a change; exit 1 still', async ({}, testInfo) => {
  const dir = attested(testInfo);
  const { publicKey } = generateKeyPairSync('ed25519');
  fs.writeFileSync(testInfo.outputPath('attest.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  const keyid = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
  const hint =
    '  hint: the gate signs only when PACKGATE_ATTEST_KEY is set, and anyone can write an unsigned attestation; ' +
    "to verify where the evidence comes from, run the gate with PACKGATE_ATTEST_KEY set to the private key of --key attest.pub's pair\n";

  // Before: "evidence TAMPERED: the signature does not verify with the key given" and "signature: MISSING".
  const unsigned = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'attest.pub']);
  expect(unsigned.stdout).toBe(
    'evidence NOT VERIFIED: the attestation is not signed (a key was given: --key attest.pub); ' +
      'its 4 files in gate-results match attestation.intoto.json\n' +
      '  result PASSED: 0 passed, 0 warned, 0 failed\n' +
      `  signature: UNSIGNED: no signature to check with the key given (--key attest.pub, keyid ${keyid}): ` +
      'who attested it is not known\n' +
      hint,
  );
  expect(unsigned.exitCode).toBe(1);
  const json = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--json'], {
    PACKGATE_ATTEST_PUBLIC_KEY: testInfo.outputPath('attest.pub'),
  });
  expect(JSON.parse(json.stdout)).toMatchObject({
    ok: false,
    mismatches: [],
    signature: { status: 'unsigned', keyid, signatures: 0 },
  });
  expect(json.exitCode).toBe(1);

  // A changed file is the change: TAMPERED for it, the missing signature said beside it.
  fs.appendFileSync(path.join(dir, 'summary.md'), 'edited\n');
  const changed = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'attest.pub']);
  expect(changed.stdout).toMatch(
    /^evidence TAMPERED: 1 file in gate-results differs from attestation\.intoto\.json; the attestation is not signed \(a key was given: --key attest\.pub\)\n/,
  );
  expect(changed.exitCode).toBe(1);
});

test('bad input: no folder, no attestation, not JSON, not an envelope, a bad key: exit 2 naming the file', async ({}, testInfo) => {
  const none = await packgate(testInfo, ['evidence', 'verify', 'no-such-dir']);
  expect(none.stderr).toBe(
    'packgate: no gate output folder at no-such-dir\n  hint: give the folder a gate run wrote\n',
  );
  expect(none.exitCode).toBe(2);

  const dir = testInfo.outputPath('gate-results');
  writeGateOutput(dir);
  const unattested = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(unattested.stderr).toBe(
    'packgate: no attestation at gate-results/attestation.intoto.json\n' +
      '  hint: the gate writes it at the end of a run; verify the folder a run wrote (gate-results by default)\n',
  );
  expect(unattested.exitCode).toBe(2);

  const file = path.join(dir, ATTESTATION_FILE);
  fs.writeFileSync(file, '{"payloadType": "application/vnd.in-toto+json",');
  const notJson = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(notJson.stderr).toMatch(/^packgate: gate-results\/attestation\.intoto\.json is not JSON: /);
  // An attestation that is there but malformed was altered since the run, not the wrong folder.
  // Before: the same hint as for none at all, 'verify the folder a run wrote'.
  expect(notJson.stderr).toContain(
    '  hint: the gate writes it whole at the end of a run, so this one was edited or cut short since: nothing ' +
      'in the folder can be checked against it; do not trust the folder, run the gate again for a new one\n',
  );
  expect(notJson.exitCode).toBe(2);

  fs.writeFileSync(file, JSON.stringify({ payloadType: 'application/json', payload: 'not base64!' }, null, 2));
  const notEnvelope = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(notEnvelope.stderr).toBe(
    'packgate: gate-results/attestation.intoto.json is not a DSSE envelope of an in-toto statement (3 errors in 1 file):\n' +
      'gate-results/attestation.intoto.json:1:1 signatures: missing required field "signatures"\n' +
      '  hint: add "signatures": <value> to this object; the DSSE envelope spec (github.com/secure-systems-lab/dsse) describes it\n' +
      'gate-results/attestation.intoto.json:2:18 payloadType: expected one of "application/vnd.in-toto+json", got "application/json"\n' +
      '  hint: see the DSSE envelope spec (github.com/secure-systems-lab/dsse) for what this field takes\n' +
      'gate-results/attestation.intoto.json:3:14 payload: must be base64\n' +
      '  hint: see the DSSE envelope spec (github.com/secure-systems-lab/dsse) for what this field takes\n' +
      '  hint: the gate writes it whole at the end of a run, so this one was edited or cut short since: nothing ' +
      'in the folder can be checked against it; do not trust the folder, run the gate again for a new one\n',
  );
  expect(notEnvelope.exitCode).toBe(2);
  // JSON's null for a field, told in JSON (not YAML's `write its value after "payload:"`).
  fs.writeFileSync(file, '{"payloadType": "application/vnd.in-toto+json", "payload": null, "signatures": []}');
  const nullPayload = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(nullPayload.stderr).toContain(
    'gate-results/attestation.intoto.json:1:49 payload: "payload" is empty: fill it in\n' +
      '  hint: give "payload" a value in place of null; the DSSE envelope spec (github.com/secure-systems-lab/dsse) describes it\n',
  );
  expect(nullPayload.exitCode).toBe(2);

  const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [] }));
  fs.writeFileSync(
    file,
    JSON.stringify({
      payloadType: 'application/vnd.in-toto+json',
      payload: payload.toString('base64'),
      signatures: [],
    }),
  );
  const notStatement = await packgate(testInfo, ['evidence', 'verify', 'gate-results']);
  expect(notStatement.stderr).toContain(
    'packgate: gate-results/attestation.intoto.json (payload) is not an in-toto test-result statement (3 errors in 1 file):\n',
  );
  expect(notStatement.stderr).toContain('subject: Too small: expected array to have >=1 items');
  expect(notStatement.stderr).toContain('so this one was edited or cut short since');
  expect(notStatement.exitCode).toBe(2);

  attested(testInfo);
  fs.writeFileSync(testInfo.outputPath('bad.pub'), 'not a key\n');
  const badKey = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'bad.pub']);
  expect(badKey.stderr).toMatch(/^packgate: --key bad\.pub is not an ed25519 public key \(SPKI PEM\): /);
  expect(badKey.exitCode).toBe(2);
});

/**
 * A private key where the public one is expected: its public half could be derived, but the signing
 * secret handed to a verifier (a CI step, a dashboard) sits where it does not belong. Before, it was
 * accepted silently and the signature checked with its public half.
 */
test('a private key given to verify is refused, exit 2, saying to pass the public key and how to make it', async ({}, testInfo) => {
  const { privateKey } = generateKeyPairSync('ed25519');
  attested(testInfo, privateKey);
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  fs.writeFileSync(testInfo.outputPath('attest.key'), pem);

  const byFile = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'attest.key']);
  expect(byFile.stderr).toBe(
    'packgate: --key attest.key holds a private key (-----BEGIN PRIVATE KEY-----); checking a signature takes the ' +
      'public key, and the private one is a secret that does not belong where evidence is verified\n' +
      '  hint: pass the public key of the pair: make it with `openssl pkey -in attest.key -pubout -out attest.pub` ' +
      'and give --key attest.pub; keep the private key only where the gate signs (PACKGATE_ATTEST_KEY)\n',
  );
  expect(byFile.stdout).toBe('');
  expect(byFile.exitCode).toBe(2);

  // PEM text in the variable: refused alike, under --json too, and the key itself never printed.
  const byEnv = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--json'], {
    PACKGATE_ATTEST_PUBLIC_KEY: pem,
  });
  expect(JSON.parse(byEnv.stdout)).toMatchObject({
    ok: false,
    error: {
      code: 'INPUT_INVALID',
      message: expect.stringMatching(/^PACKGATE_ATTEST_PUBLIC_KEY holds a private key \(-----BEGIN PRIVATE KEY-----\)/),
      hint: expect.stringContaining('PACKGATE_ATTEST_PUBLIC_KEY=attest.pub'),
    },
  });
  const body = pem.split('\n')[1];
  expect(byEnv.stdout + byEnv.stderr).not.toContain(body);
  expect(byEnv.exitCode).toBe(2);
});

type RunResult = { exitCode: number; stdout: string; stderr: string };

/** The real CLI, run in the test's output folder (no packgate project there), with none of our PACKGATE_* vars. */
function packgate(testInfo: TestInfo, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PACKGATE_|TEST_|PW_)/.test(key)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/packgate.js'), ...args], {
      cwd: testInfo.outputPath(),
      env: { ...clean, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('error', reject);
    child.on('close', code => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

test('a signature that names no key and does not verify with the key given: NOT VERIFIED, said as an unknown key, with what to do', async ({}, testInfo) => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const dir = attested(testInfo, privateKey);
  const other = generateKeyPairSync('ed25519').publicKey;
  fs.writeFileSync(testInfo.outputPath('attest.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  fs.writeFileSync(testInfo.outputPath('other.pub'), other.export({ type: 'spki', format: 'pem' }));
  const keyid = createHash('sha256')
    .update(other.export({ type: 'spki', format: 'der' }))
    .digest('hex');
  const file = path.join(dir, ATTESTATION_FILE);
  const envelope = JSON.parse(fs.readFileSync(file, 'utf8')) as { signatures: Array<{ keyid?: string }> };
  delete envelope.signatures[0].keyid;
  fs.writeFileSync(file, JSON.stringify(envelope));

  // The keyid is only a hint: the signer's key still verifies it.
  expect((await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'attest.pub'])).exitCode).toBe(0);
  // Before: "signature: INVALID: none of 1 signature verifies with the key given", and no hint, under a NOT VERIFIED head.
  const unknown = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', 'other.pub']);
  expect(unknown.stdout).toBe(
    'evidence NOT VERIFIED: no signature verifies with the key given (--key other.pub), and not every one names ' +
      'its key; its 4 files in gate-results match attestation.intoto.json\n' +
      '  result PASSED: 0 passed, 0 warned, 0 failed\n' +
      `  signature: UNKNOWN KEY: none of 1 signature verifies with the key given (--key other.pub, keyid ${keyid}), ` +
      "and not every one names its key: another key's, or changed after it was signed, it cannot tell\n" +
      "  hint: verify with the signer's public key, the pair of the PACKGATE_ATTEST_KEY the gate ran with (the gate " +
      'names its key in every signature); if --key other.pub is that key, the attestation changed after it was signed\n',
  );
  expect(unknown.exitCode).toBe(1);
});

/**
 * `--key "$ATTEST_PUB"` in a CI step whose variable is unset. Before: read as no --key at all, so a
 * folder re-attested unsigned after a change came out intact, exit 0, its signature never checked.
 */
test('an empty --key, or PACKGATE_ATTEST_PUBLIC_KEY set but empty, is refused, exit 2, nothing checked: not read as no key', async ({}, testInfo) => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const dir = attested(testInfo, privateKey);
  fs.appendFileSync(path.join(dir, 'summary.md'), 'edited\n');
  attestGateOutput(dir, { key: null, commit: null, env: {} });
  for (const args of [['--key', ''], ['--key='], ['--key', ' ', '--json']]) {
    const result = await packgate(testInfo, ['evidence', 'verify', 'gate-results', ...args]);
    expect(result.exitCode, args.join(' ')).toBe(2);
    expect(result.stdout + result.stderr).toContain('--key is empty: no public key to check the signature with');
    expect(result.stdout + result.stderr).not.toContain('intact');
  }
  const text = await packgate(testInfo, ['evidence', 'verify', 'gate-results', '--key', '']);
  expect(text.stderr).toBe(
    'packgate: --key is empty: no public key to check the signature with\n' +
      "  hint: is the variable it comes from unset? give the path of the signer's public key (--key attest.pub), " +
      'or leave --key out to check the files only\n',
  );
  expect(text.stdout).toBe('');
  // The variable set but empty (a CI secret that is missing) is the same: not "no key".
  const fromEnv = await packgate(testInfo, ['evidence', 'verify', 'gate-results'], { PACKGATE_ATTEST_PUBLIC_KEY: '' });
  expect(fromEnv.exitCode).toBe(2);
  expect(fromEnv.stderr).toContain('packgate: PACKGATE_ATTEST_PUBLIC_KEY is set but empty: no public key to check');
  expect(fromEnv.stdout).toBe('');
});
