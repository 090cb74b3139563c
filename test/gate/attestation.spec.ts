import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { verifyRun } from '../../src/dashboard/verify-run.ts';
import { openStore } from '../../src/store/open.ts';
import { TempProject } from '../helpers/temp-project.ts';

test('a real run is attested and signed, its reports too; evidence verify passes, then names each file whose byte changed', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keys = testInfo.outputPath('keys');
  fs.mkdirSync(keys, { recursive: true });
  fs.writeFileSync(path.join(keys, 'attest.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(path.join(keys, 'attest.pub'), publicKey.export({ type: 'spki', format: 'pem' }));

  const run = await project.playwright(['--project=local-api', 'packs/platform-proxy/'], {
    PACKGATE_ATTEST_KEY: path.join(keys, 'attest.pem'),
  });
  expect(run.exitCode, run.output).toBe(0);
  const envelope = JSON.parse(project.read('gate-results/attestation.intoto.json'));
  expect(envelope.signatures).toHaveLength(1);
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  expect(statement.predicateType).toBe('https://in-toto.io/attestation/test-result/v0.1');
  expect(statement.predicate.result).toBe('PASSED');
  const subjects: string[] = statement.subject.map((s: { name: string }) => s.name);
  expect(subjects).toEqual(
    expect.arrayContaining(['verdict.json', 'summary.md', 'evidence/platform-proxy/evidence.json', 'junit.xml']),
  );
  // JUnit and Allure write after the gate's verdict: the attestation is written again after them.
  const allureResult = subjects.find(name => /^allure-results\/.+-result\.json$/.test(name));
  expect(allureResult, subjects.join('\n')).toBeDefined();

  const verify = () => project.packgate(['evidence', 'verify', 'gate-results', '--key', path.join(keys, 'attest.pub')]);
  const intact = await verify();
  expect(intact.exitCode, intact.output).toBe(0);
  expect(intact.stdout).toMatch(/^evidence intact: \d+ files in gate-results match attestation.intoto.json\n/);

  for (const [file, edit] of [
    ['evidence/platform-proxy/evidence.json', (text: string) => text.replace('"PASS"', '"PASS" ')],
    ['junit.xml', (text: string) => text.replace('failures="0"', 'failures="1"')],
    [allureResult!, (text: string) => text.replace('"passed"', '"failed"')],
  ] as const) {
    const original = project.read(`gate-results/${file}`);
    project.edit(`gate-results/${file}`, edit);
    expect(project.read(`gate-results/${file}`), file).not.toBe(original);
    const tampered = await verify();
    expect(tampered.exitCode, tampered.output).toBe(1);
    expect(tampered.stdout).toContain(`${file}  changed since it was attested`);
    project.edit(`gate-results/${file}`, () => original);
  }
  expect((await verify()).exitCode).toBe(0);

  // The queue store holds the run with its attestation and reports, and checks them as the
  // dashboard's run page shows it: intact and signed, then a changed byte of the stored JUnit named.
  const store = await openStore({ kind: 'sqlite', path: path.join(project.dir, '.packgate/queue.db') });
  try {
    const [recorded] = await store.gateRuns();
    expect(recorded.evidence.map(e => e.path)).toEqual(
      expect.arrayContaining(['attestation.intoto.json', 'junit.xml', allureResult!, 'verdict.json']),
    );
    expect(await verifyRun(store, recorded, publicKey)).toMatchObject({ status: 'intact', signature: 'valid' });
    const junit = store.blobs.locate(recorded.evidence.find(e => e.path === 'junit.xml')!.digest);
    fs.chmodSync(junit, 0o644);
    fs.appendFileSync(junit, '<!-- changed -->');
    expect(await verifyRun(store, recorded, publicKey)).toMatchObject({
      status: 'changed',
      mismatches: [{ file: 'junit.xml', problem: 'changed' }],
    });
  } finally {
    await store.close();
  }
});

test('an attestation that cannot be written after the reports: verdict.json is BLOCKED, the store records it so, exit 1', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    // A reporter after the gate's and its reports puts a folder where the attestation is written again.
    'attestation-blocker.ts': [
      "import fs from 'node:fs';",
      "import path from 'node:path';",
      'export default class {',
      '  onEnd() {',
      "    const file = path.join(import.meta.dirname, 'gate-results', 'attestation.intoto.json');",
      '    fs.rmSync(file);',
      "    fs.mkdirSync(path.join(file, 'in-the-way'), { recursive: true });",
      '  }',
      '}',
      '',
    ].join('\n'),
  });
  project.edit('playwright.config.ts', text =>
    text.replace('reporter: gate.reporters,', "reporter: [...gate.reporters, ['./attestation-blocker.ts']],"),
  );
  const run = await project.playwright(['--project=local-api', 'packs/platform-proxy/']);
  const verdict = project.verdict();
  expect(verdict.verdict, run.output).toBe('BLOCKED');
  expect(verdict.problems).toContainEqual({
    severity: 'error',
    message: expect.stringMatching(/^the evidence attestation was not written: EISDIR/),
  });
  // The tests passed and the table said PASS, but the verdict is BLOCKED: so is the exit code.
  expect(run.stdout).toContain(
    'packgate: the verdict printed above became BLOCKED: the evidence attestation was not written',
  );
  expect(run.exitCode, run.output).toBe(1);

  // The store holds the run as verdict.json has it, byte for byte: not the PASS it was before attesting.
  const store = await openStore({ kind: 'sqlite', path: path.join(project.dir, '.packgate/queue.db') });
  try {
    const [recorded] = await store.gateRuns();
    expect(recorded).toMatchObject({ verdict: 'BLOCKED', problems: verdict.problems });
    const bytes = fs.readFileSync(path.join(project.dir, 'gate-results/verdict.json'));
    expect(recorded.verdictDigest).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(recorded.evidence.map(e => e.path)).not.toContain('attestation.intoto.json');
  } finally {
    await store.close();
  }
});
