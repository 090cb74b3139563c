import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ATTESTATION_FILE, attestGateOutput, pae } from '../../src/evidence/attest.ts';
import { outcomeOf, verifyGateOutput, type FileMismatch, type SignatureCheck } from '../../src/evidence/verify.ts';
import type { DsseEnvelope, TestResultStatement } from '../../src/schema/attestation.ts';
import type { PackVerdict } from '../../src/schema/verdict.ts';
import { writeGateOutput } from '../helpers/gate-output.ts';
import { REPO } from '../helpers/ports.ts';

const COMMIT = '388e24db208bfbc0dd7ff08043a9cce8ec4f71f4';
const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
const playwrightVersion = (
  JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/@playwright/test/package.json'), 'utf8')) as {
    version: string;
  }
).version;

test('PAE reproduces the DSSE spec example, lengths in bytes', () => {
  expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
    'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
  );
  expect(pae('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
});

test("the DSSE spec's own ECDSA test-vector signature verifies over our PAE", () => {
  // protocol.md "Test Vectors": P-256 key (X, Y) and the signature of the hello-world message.
  const coordinate = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').toString('base64url');
  const key = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: coordinate(46950820868899156662930047687818585632848591499744589407958293238635476079160n),
      y: coordinate(5640078356564379163099075877009565129882514886557779369047442380624545832820n),
    },
  });
  const sig = Buffer.from(
    'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==',
    'base64',
  );
  const message = pae('http://example.com/HelloWorld', Buffer.from('hello world'));
  expect(verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
});

test('the statement covers every published file by digest, with configuration and tests by outcome', ({}, testInfo) => {
  const dir = testInfo.outputPath('gate-results');
  const signIn = {
    ...writeGateOutput(dir, { status: 'FAIL', trace: true }).packs[0],
    id: 'sign-in',
    evidence: { ...evidenceOf('sign-in'), files: ['evidence/sign-in/evidence.json'] },
  };
  const reports: PackVerdict = {
    ...signIn,
    id: 'reports',
    policy: 'advisory',
    status: 'FLAKY',
    blocks: false,
    evidence: { ...evidenceOf('reports'), files: ['evidence/reports/evidence.json'] },
  };
  // Where the stage blocks on flakiness (gate.flaky: block), the flaky test is what failed the pack.
  const checkout: PackVerdict = {
    ...signIn,
    id: 'checkout',
    status: 'FLAKY',
    blocks: true,
    evidence: { ...evidenceOf('checkout'), files: ['evidence/checkout/evidence.json'] },
  };
  writeGateOutput(dir, {
    status: 'FAIL',
    trace: true,
    verdict: { projects: ['local-api', 'local-browser'], packs: [signIn, reports, checkout] },
  });
  writeEvidence(dir, 'sign-in', [
    { title: 'signs in › with a password', project: 'local-api', outcome: 'expected' },
    { title: 'refuses a wrong redirect', project: 'local-api', outcome: 'unexpected' },
    { title: 'keeps the session', project: 'local-browser', outcome: 'flaky' },
    { title: 'signs out', project: 'local-browser', outcome: 'skipped' },
  ]);
  writeEvidence(dir, 'reports', [
    { title: 'lists reports', project: 'local-api', outcome: 'flaky' },
    { title: 'exports', project: 'local-api', outcome: 'unexpected' },
  ]);
  writeEvidence(dir, 'checkout', [
    { title: 'pays', project: 'local-browser', outcome: 'flaky' },
    { title: 'shows the basket', project: 'local-browser', outcome: 'expected' },
  ]);

  const written = attestGateOutput(dir, { commit: COMMIT, flags: { retries: 1, workers: 2 }, env: {} });
  expect(written).toEqual({ file: path.join(dir, ATTESTATION_FILE), subjects: 7 });
  const envelope = readEnvelope(dir);
  expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
  expect(envelope.signatures).toEqual([]);
  const digest = (file: string) => ({ sha256: sha256(fs.readFileSync(path.join(dir, file))) });
  expect(statementOf(envelope)).toEqual({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      'evidence/auth-session/evidence.json',
      'evidence/auth-session/sign-in/attempt-2-trace.zip',
      'evidence/checkout/evidence.json',
      'evidence/reports/evidence.json',
      'evidence/sign-in/evidence.json',
      'summary.md',
      'verdict.json',
    ].map(name => ({ name, digest: digest(name) })),
    predicateType: 'https://in-toto.io/attestation/test-result/v0.1',
    predicate: {
      result: 'FAILED',
      configuration: [
        {
          name: 'environment',
          uri: 'packgate:environment/local',
          annotations: { stage: 'dev', kind: 'embedded', complete: true, faults: [] },
        },
        { name: 'project', uri: 'packgate:project/local-api' },
        { name: 'project', uri: 'packgate:project/local-browser' },
        { name: 'commit', digest: { gitCommit: COMMIT } },
        { name: 'packgate', uri: `pkg:npm/packgate@${version}`, annotations: { flags: { retries: 1, workers: 2 } } },
        { name: 'playwright', uri: `pkg:npm/%40playwright/test@${playwrightVersion}` },
        { name: 'node', uri: `pkg:generic/node@${process.versions.node}` },
      ],
      passedTests: ['sign-in › local-api › signs in › with a password', 'checkout › local-browser › shows the basket'],
      // The blocking pack failed on its failure, not on flakiness; the advisory pack blocks nothing.
      warnedTests: [
        'sign-in › local-browser › keeps the session',
        'reports › local-api › lists reports',
        'reports › local-api › exports',
      ],
      failedTests: ['sign-in › local-api › refuses a wrong redirect', 'checkout › local-browser › pays'],
    },
  } satisfies TestResultStatement);
});

test('the result follows the verdict; a CI run URL is recorded when there is one', ({}, testInfo) => {
  const dir = testInfo.outputPath('gate-results');
  const results = (['PASS', 'PASS_WITH_WARNINGS', 'BLOCKED'] as const).map(verdict => {
    writeGateOutput(dir, { verdict: { verdict } });
    attestGateOutput(dir, { commit: null, env: {} });
    return statementOf(readEnvelope(dir)).predicate.result;
  });
  expect(results).toEqual(['PASSED', 'WARNED', 'FAILED']);

  const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' };
  attestGateOutput(dir, { commit: null, env });
  expect(statementOf(readEnvelope(dir)).predicate.url).toBe('https://github.com/o/r/actions/runs/42');
});

test('signed with a generated key, it verifies with its public key; keyid is the SPKI digest', ({}, testInfo) => {
  const dir = testInfo.outputPath('gate-results');
  writeGateOutput(dir, { trace: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyid = sha256(publicKey.export({ type: 'spki', format: 'der' }));

  expect(attestGateOutput(dir, { key: privateKey, commit: null, env: {} })).toMatchObject({ subjects: 4, keyid });
  const envelope = readEnvelope(dir);
  expect(envelope.signatures).toEqual([{ keyid, sig: expect.any(String) }]);
  const signed = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  expect(verify(null, signed, publicKey, Buffer.from(envelope.signatures[0].sig, 'base64'))).toBe(true);

  expect(verifyGateOutput(dir, { publicKey })).toMatchObject({
    intact: true,
    subjects: 4,
    mismatches: [],
    signature: { status: 'valid', keyid, signatures: 1 },
  });
});

test('a wrong key, an edited statement and a missing signature do not verify', ({}, testInfo) => {
  const dir = testInfo.outputPath('gate-results');
  writeGateOutput(dir);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519').publicKey;
  attestGateOutput(dir, { key: privateKey, commit: null, env: {} });

  // Signed by another key than the one given: no change, and both keys are known.
  expect(verifyGateOutput(dir, { publicKey: other })).toMatchObject({
    intact: false,
    mismatches: [],
    signature: {
      status: 'invalid',
      cause: 'other-key',
      keyid: sha256(other.export({ type: 'spki', format: 'der' })),
      signedBy: [sha256(publicKey.export({ type: 'spki', format: 'der' }))],
    },
  });
  // Without a key the files still match: only the signature says who attested.
  expect(verifyGateOutput(dir)).toMatchObject({ intact: true, signature: { status: 'not-checked', signatures: 1 } });

  const envelope = readEnvelope(dir);
  const statement = statementOf(envelope);
  const edited = { ...statement, predicate: { ...statement.predicate, result: 'FAILED' } };
  writeEnvelope(dir, { ...envelope, payload: Buffer.from(JSON.stringify(edited)).toString('base64') });
  expect(verifyGateOutput(dir, { publicKey })).toMatchObject({
    intact: false,
    signature: { status: 'invalid', cause: 'changed' },
  });
  // A signature that names no key: which of the two it is cannot be told.
  writeEnvelope(dir, { ...envelope, signatures: [{ sig: envelope.signatures[0].sig }] });
  expect(verifyGateOutput(dir, { publicKey: other }).signature).toMatchObject({ status: 'invalid', cause: 'unknown' });

  attestGateOutput(dir, { key: null, commit: null, env: {} });
  expect(verifyGateOutput(dir, { publicKey })).toMatchObject({ intact: false, signature: { status: 'unsigned' } });
});

test('one outcome for each check: a change is tampered; an origin the key given does not show is not verified', () => {
  const file: FileMismatch[] = [{ file: 'summary.md', problem: 'missing', expected: 'e3b0' }];
  const invalid = (cause: 'other-key' | 'changed' | 'unknown'): SignatureCheck => ({
    status: 'invalid',
    keyid: 'k',
    signatures: 1,
    signedBy: cause === 'unknown' ? [] : [cause === 'changed' ? 'k' : 'j'],
    cause,
  });
  const checks: Record<string, SignatureCheck> = {
    valid: { status: 'valid', keyid: 'k', signatures: 1 },
    'not checked': { status: 'not-checked', signatures: 1 },
    'not checked, unsigned': { status: 'not-checked', signatures: 0 },
    unsigned: { status: 'unsigned', keyid: 'k', signatures: 0 },
    'other key': invalid('other-key'),
    'names no key': invalid('unknown'),
    'changed after signing': invalid('changed'),
  };
  const outcomes = (mismatches: FileMismatch[]) =>
    Object.fromEntries(Object.entries(checks).map(([name, signature]) => [name, outcomeOf({ mismatches, signature })]));
  expect(outcomes([])).toEqual({
    valid: { kind: 'intact' },
    'not checked': { kind: 'intact' },
    'not checked, unsigned': { kind: 'intact' },
    unsigned: { kind: 'not-verified', why: 'unsigned' },
    'other key': { kind: 'not-verified', why: 'other-key' },
    'names no key': { kind: 'not-verified', why: 'unknown' },
    'changed after signing': { kind: 'tampered', files: false, signature: true },
  });
  expect(outcomes(file)).toEqual({
    valid: { kind: 'tampered', files: true, signature: false },
    'not checked': { kind: 'tampered', files: true, signature: false },
    'not checked, unsigned': { kind: 'tampered', files: true, signature: false },
    unsigned: { kind: 'tampered', files: true, signature: false, unverified: 'unsigned' },
    'other key': { kind: 'tampered', files: true, signature: false, unverified: 'other-key' },
    'names no key': { kind: 'tampered', files: true, signature: false, unverified: 'unknown' },
    'changed after signing': { kind: 'tampered', files: true, signature: true },
  });
});

test('attesting twice gives the same file; a rewritten verdict shows until it is attested again', ({}, testInfo) => {
  const dir = testInfo.outputPath('gate-results');
  writeGateOutput(dir);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  attestGateOutput(dir, { key: privateKey, commit: null, env: {} });
  const first = fs.readFileSync(path.join(dir, ATTESTATION_FILE), 'utf8');
  attestGateOutput(dir, { key: privateKey, commit: null, env: {} });
  expect(fs.readFileSync(path.join(dir, ATTESTATION_FILE), 'utf8')).toBe(first);
  expect(fs.readdirSync(dir).sort()).toEqual([ATTESTATION_FILE, 'evidence', 'summary.md', 'verdict.json']);

  // What the reporter does when the store cannot record the run: verdict.json is written again.
  fs.appendFileSync(path.join(dir, 'verdict.json'), ' ');
  expect(verifyGateOutput(dir, { publicKey }).mismatches).toEqual([
    { file: 'verdict.json', problem: 'changed', expected: expect.any(String), actual: expect.any(String) },
  ]);
  attestGateOutput(dir, { key: privateKey, commit: null, env: {} });
  expect(verifyGateOutput(dir, { publicKey })).toMatchObject({ intact: true, signature: { status: 'valid' } });
});

test('PACKGATE_ATTEST_KEY takes PEM text or a path; a key that is not ed25519 is refused and nothing written', ({}, testInfo) => {
  const dir = testInfo.outputPath('gate-results');
  writeGateOutput(dir);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyFile = testInfo.outputPath('attest.key');
  fs.writeFileSync(keyFile, pem);
  for (const value of [pem, keyFile]) {
    attestGateOutput(dir, { commit: null, env: { PACKGATE_ATTEST_KEY: value } });
    expect(verifyGateOutput(dir, { publicKey }).signature.status).toBe('valid');
  }

  fs.rmSync(path.join(dir, ATTESTATION_FILE));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  expect(() => attestGateOutput(dir, { commit: null, env: { PACKGATE_ATTEST_KEY: rsa.toString() } })).toThrow(
    'PACKGATE_ATTEST_KEY is an rsa key; attestations are signed with ed25519 only',
  );
  expect(() => attestGateOutput(dir, { commit: null, env: { PACKGATE_ATTEST_KEY: 'MC4CAQAwBQYDK2VwBCIE' } })).toThrow(
    /^PACKGATE_ATTEST_KEY is neither PEM text \(-----BEGIN \.\.\.\) nor the path of a readable file\n/,
  );
  expect(fs.existsSync(path.join(dir, ATTESTATION_FILE))).toBe(false);
});

function evidenceOf(pack: string): PackVerdict['evidence'] {
  return { dir: `evidence/${pack}`, files: [], correlationIds: [], traceIds: [], missingArtifacts: [] };
}

function writeEvidence(dir: string, pack: string, tests: Array<{ title: string; project: string; outcome: string }>) {
  fs.mkdirSync(path.join(dir, 'evidence', pack), { recursive: true });
  const record = { schemaVersion: 1, pack, status: 'FAIL', tests: tests.map(t => ({ ...t, location: 'x.spec.ts:1' })) };
  fs.writeFileSync(path.join(dir, 'evidence', pack, 'evidence.json'), JSON.stringify(record, null, 2) + '\n');
}

function readEnvelope(dir: string): DsseEnvelope {
  return JSON.parse(fs.readFileSync(path.join(dir, ATTESTATION_FILE), 'utf8')) as DsseEnvelope;
}

function writeEnvelope(dir: string, envelope: DsseEnvelope): void {
  fs.writeFileSync(path.join(dir, ATTESTATION_FILE), JSON.stringify(envelope, null, 2) + '\n');
}

function statementOf(envelope: DsseEnvelope): TestResultStatement {
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as TestResultStatement;
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
