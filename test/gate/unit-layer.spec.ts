import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { PackVerdict } from '../../src/schema/verdict.ts';
import { labelsByTest } from '../helpers/allure-labels.ts';
import { TempProject } from '../helpers/temp-project.ts';

/**
 * The unit layer judges the product suite's JUnit report: two unit-only packs in a temp catalogue,
 * one reading a report already there, one whose command writes it. `--project=local-unit` starts no
 * stack and no browser (the unit layer needs neither), so these runs need no lock.
 */

const pack = (id: string, unit: string) => `id: ${id}
title: ${id}
journey: The product's own suite proves the sign-in callback.
owner: C-ops
required_proof: the product's callback tests pass
policy: { dev: blocking }
lowest_reliable_layer: unit
layers: [unit]
unit:
${unit}`;

const FILES = {
  'packs/unit-proof/pack.yaml': pack(
    'unit-proof',
    `  junit: reports/unit.xml
  require:
    - "auth/callback.test.ts › rejects a state mismatch"
    - "auth/callback.test.ts › callback › accepts a valid callback"
    - "parses the state"
`,
  ),
  'packs/unit-built/pack.yaml': pack(
    'unit-built',
    `  junit: { env: UNIT_BUILT_JUNIT, default: reports/built.xml }
  command: node write-report.mjs
  require: ["session › expires"]
`,
  ),
  // The product suite of unit-built: logs each run, writes its report where UNIT_BUILT_JUNIT says (the
  // cases of UNIT_REPORT_FROM when set), or crashes without one.
  'write-report.mjs': `import fs from 'node:fs';
fs.mkdirSync('reports', { recursive: true });
fs.appendFileSync('reports/command-runs.log', 'ran\\n');
// Which of these it was given: packgate's own variables and the environments' secrets are not for it.
const seen = ['PACKGATE_ATTEST_KEY', 'PACKGATE_LOCAL_USER_PASSWORD', 'PRODUCT_ADMIN_PASSWORD', 'PRODUCT_FLAG'];
fs.writeFileSync('reports/command-env.log', seen.filter(name => process.env[name]).join(','));
const out = process.env.UNIT_BUILT_JUNIT || 'reports/built.xml';
fs.rmSync(out, { force: true });
if (process.env.UNIT_COMMAND_FAIL) { console.error('suite crashed: cannot find module ./db'); process.exit(3); }
const from = process.env.UNIT_REPORT_FROM;
fs.writeFileSync(out, from ? fs.readFileSync(from) : '<testsuite name="session"><testcase classname="session" name="expires"/></testsuite>');
process.exit(1); // a suite exits non-zero for its own reasons: the report is the verdict, not this
`,
};

/** A vitest-style report: nested describe titles joined with " > ", one case matched by its name alone. */
const report = (cases: string) => `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="vitest tests">
  <testsuite name="auth/callback.test.ts">
${cases}
  </testsuite>
</testsuites>
`;
const PASSING = report(`    <testcase classname="auth/callback.test.ts" name="rejects a state mismatch"/>
    <testcase classname="auth/callback.test.ts" name="callback &gt; accepts a valid callback"/>
    <testcase classname="auth/state.test.ts" name="parses the state"/>`);

test('the unit layer judges JUnit reports: passes, failures, missing ids, a crashed command, broken files; attested', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, { ...FILES, 'reports/unit.xml': PASSING });
  project.edit('environments/local.yaml', text =>
    text
      .replace('layers: [api, browser]', 'layers: [unit, api, browser]')
      .replace('secrets:\n', 'secrets:\n  admin-password: { env: PRODUCT_ADMIN_PASSWORD }\n'),
  );
  // The parity environment (also stage dev) does not run the unit layer: the unit-only packs stay out of it.
  project.edit(
    'environments/parity.yaml',
    text =>
      `${text}packs:\n  exclude:\n` +
      ['unit-proof', 'unit-built'].map(id => `    - { pack: ${id}, reason: unit only }\n`).join(''),
  );
  const packOf = (id: string): PackVerdict => project.verdict().packs.find(p => p.id === id)!;
  const errorsOf = (id: string) =>
    (
      JSON.parse(project.read(`gate-results/evidence/${id}/evidence.json`)) as {
        tests: Array<{ title: string; outcome: string; errors: string[] }>;
      }
    ).tests.map(t => [t.title, t.outcome, t.errors[0]?.split('\n')[0]]);
  const run = (env: Record<string, string> = {}) => project.playwright(['--project=local-unit'], env);

  // 1. Healthy: each required id matched (classname › name, " > " read as " › ", name alone); the command ran once,
  //    given the runner's environment but neither packgate's own variables nor an environment's secrets.
  let result = await run({
    PACKGATE_ATTEST_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    PACKGATE_LOCAL_USER_PASSWORD: 'not-for-the-product-suite',
    PRODUCT_ADMIN_PASSWORD: 'nor-this-one',
    PRODUCT_FLAG: 'on',
  });
  expect(result.exitCode, result.output).toBe(0);
  expect(result.output).toContain('packgate: unit layer of unit-built: running `node write-report.mjs`');
  expect(project.read('reports/command-runs.log')).toBe('ran\n');
  expect(project.read('reports/command-env.log')).toBe('PRODUCT_FLAG');
  expect(project.verdict()).toMatchObject({ verdict: 'PASS', projects: ['local-unit'] });
  expect(packOf('unit-proof')).toMatchObject({
    status: 'PASS',
    layers: ['unit'],
    tests: { total: 4, passed: 4, failed: 0, skipped: 0 },
    // The product suite's own counts: every case in its report, required or not.
    unitReport: { tests: 3, failed: 0, skipped: 0 },
    missingTests: [],
  });
  expect(packOf('unit-built')).toMatchObject({
    status: 'PASS',
    layers: ['unit'],
    tests: { total: 2, passed: 2 },
    unitReport: { tests: 1, failed: 0, skipped: 0 },
  });
  expect(project.read('gate-results/summary.md')).toMatch(/^\| unit-proof \| C-ops \| blocking \| PASS \| 4\/4 \|/m);
  // Allure labels each unit test with the pack its tag names, as it does the other layers' by their spec's path.
  const labels = labelsByTest(path.join(project.dir, 'gate-results/allure-results'), /-result\.json$/);
  expect(labels.get('requires parses the state')).toMatchObject({
    pack: ['unit-proof'],
    owner: ['C-ops'],
    layer: ['unit'],
    severity: ['blocker'],
  });
  expect(labels.get('requires session › expires')).toMatchObject({ pack: ['unit-built'], layer: ['unit'] });

  // The report judged is evidence and in the attestation: a subject, and a unit-report descriptor with its digest.
  const copy = packOf('unit-proof').evidence.files.find(f => f.endsWith('.xml'))!;
  expect(project.read(`gate-results/${copy}`)).toBe(PASSING);
  const envelope = JSON.parse(project.read('gate-results/attestation.intoto.json')) as { payload: string };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
    subject: Array<{ name: string; digest: { sha256: string } }>;
    predicate: { configuration: Array<{ name?: string; uri?: string; digest?: { sha256: string } }> };
  };
  const digest = createHash('sha256').update(PASSING).digest('hex');
  expect(statement.subject).toContainEqual({ name: copy, digest: { sha256: digest } });
  expect(statement.predicate.configuration).toContainEqual(
    expect.objectContaining({
      name: 'unit-report',
      uri: 'packgate:unit-report/unit-proof',
      digest: { sha256: digest },
    }),
  );
  let verify = await project.packgate(['evidence', 'verify', 'gate-results']);
  expect(verify.exitCode, verify.output).toBe(0);
  const tampered = Buffer.from(project.read(`gate-results/${copy}`));
  tampered[tampered.indexOf('rejects')] ^= 1;
  fs.writeFileSync(path.join(project.dir, 'gate-results', copy), tampered);
  verify = await project.packgate(['evidence', 'verify', 'gate-results']);
  expect(verify.exitCode, verify.output).toBe(1);
  expect(verify.stdout).toContain(`  ${copy}  changed since it was attested\n`);

  // 2. A required test failed (its message's first line), one is not in the report, an unrequired one failed;
  //    the command crashed without writing its report: both packs FAIL, naming what and where.
  project.write({
    'reports/unit.xml': report(`    <testcase classname="auth/callback.test.ts" name="rejects a state mismatch">
      <failure message="expected 403, got 200&#10;    at callback.ts:12" type="AssertionError">stack</failure>
    </testcase>
    <testcase classname="auth/callback.test.ts" name="callback &gt; accepts a valid callback"/>
    <testcase classname="billing/invoice.test.ts" name="rounds"><error message="TypeError: x is undefined"/></testcase>`),
  });
  result = await run({ UNIT_COMMAND_FAIL: '1' });
  expect(result.exitCode, result.output).toBe(1);
  expect(project.verdict().verdict).toBe('BLOCKED');
  expect(packOf('unit-proof')).toMatchObject({
    status: 'FAIL',
    blocks: true,
    tests: { total: 4, passed: 1, failed: 3 },
    unitReport: { tests: 3, failed: 2, skipped: 0 },
  });
  expect(packOf('unit-built').unitReport, 'no report, no counts: its reason says why').toBeUndefined();
  expect(errorsOf('unit-proof')).toEqual([
    [
      'the product suite report',
      'unexpected',
      'Error: 2 of 3 tests failed in reports/unit.xml: auth/callback.test.ts › rejects a state mismatch: ' +
        'expected 403, got 200; billing/invoice.test.ts › rounds: TypeError: x is undefined',
    ],
    [
      'requires auth/callback.test.ts › rejects a state mismatch',
      'unexpected',
      'Error: required unit test auth/callback.test.ts › rejects a state mismatch failed in reports/unit.xml: expected 403, got 200',
    ],
    ['requires auth/callback.test.ts › callback › accepts a valid callback', 'expected', undefined],
    [
      'requires parses the state',
      'unexpected',
      'Error: required unit test parses the state is not in reports/unit.xml',
    ],
  ]);
  const missing =
    'the unit report reports/built.xml (the default: UNIT_BUILT_JUNIT is not set) is missing: `node write-report.mjs` exited 3 without writing it ' +
    '(suite crashed: cannot find module ./db); run the product suite with its JUnit reporter, or set UNIT_BUILT_JUNIT ' +
    "to the report's path (or fix unit.junit's default)";
  expect(packOf('unit-built')).toMatchObject({ status: 'FAIL', reason: `the product suite report failed: ${missing}` });
  expect(project.read('reports/command-runs.log')).toBe('ran\nran\n');

  // 3. A truncated report is not XML; an HTML page is XML but not JUnit; a required test skipped in the suite is skipped.
  project.write({
    'reports/unit.xml': PASSING.slice(0, 200),
    'suite/page.xml': '<html><body>Coverage</body></html>',
    'suite/skipped.xml': '<testsuite><testcase classname="session" name="expires"><skipped/></testcase></testsuite>',
  });
  result = await run({ UNIT_BUILT_JUNIT: 'reports/skipped.xml', UNIT_REPORT_FROM: 'suite/skipped.xml' });
  expect(result.exitCode, result.output).toBe(1);
  expect(packOf('unit-proof').status).toBe('FAIL');
  expect(packOf('unit-proof').reason).toMatch(
    /^the product suite report failed: reports\/unit\.xml:\d+:\d+ is not XML \(.+\); the unit layer reads a JUnit XML report$/,
  );
  // The file that could not be read is evidence too, for the reader to see what the suite wrote (before: none).
  const brokenCopy = packOf('unit-proof').evidence.files.find(f => f.endsWith('.xml'));
  expect(brokenCopy, JSON.stringify(packOf('unit-proof').evidence.files)).toBeTruthy();
  expect(project.read(`gate-results/${brokenCopy}`)).toBe(PASSING.slice(0, 200));
  expect(packOf('unit-built')).toMatchObject({ status: 'SKIPPED', tests: { total: 2, passed: 1, skipped: 1 } });
  expect(packOf('unit-built').reason).toContain(
    'required unit test session › expires was skipped in reports/skipped.xml (from UNIT_BUILT_JUNIT)',
  );
  result = await run({ UNIT_BUILT_JUNIT: 'reports/page.xml', UNIT_REPORT_FROM: 'suite/page.xml' });
  expect(packOf('unit-built').reason).toBe(
    'the product suite report failed: reports/page.xml (from UNIT_BUILT_JUNIT) is XML but not a JUnit report ' +
      "(its root is not <testsuites> or <testsuite>); point unit.junit at the suite's JUnit output",
  );
});

test('a required id that misses its test says the id it was likely meant to be: the test under a describe block, or a typo', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo, {
    // README's own require list, against a suite whose callback tests sit in a describe block.
    'packs/unit-proof/pack.yaml': pack(
      'unit-proof',
      `  junit: reports/unit.xml
  require:
    - "auth/callback.test.ts › rejects a state mismatch"
    - "accepts a valid calback"
    - "parses the state"
`,
    ),
    'reports/unit.xml':
      report(`    <testcase classname="auth/callback.test.ts" name="callback &gt; rejects a state mismatch"/>
    <testcase classname="auth/callback.test.ts" name="accepts a valid callback"/>
    <testcase classname="auth/session.test.ts" name="expires"/>`),
  });
  project.edit('environments/local.yaml', text =>
    text.replace('layers: [api, browser]', 'layers: [unit, api, browser]'),
  );
  project.edit(
    'environments/parity.yaml',
    text => `${text}packs:\n  exclude:\n    - { pack: unit-proof, reason: unit only }\n`,
  );
  const result = await project.playwright(['--project=local-unit']);
  expect(result.exitCode, result.output).toBe(1);
  const errors = (
    JSON.parse(project.read('gate-results/evidence/unit-proof/evidence.json')) as {
      tests: Array<{ title: string; errors: string[] }>;
    }
  ).tests.map(t => t.errors[0]?.split('\n')[0]);
  expect(errors).toEqual([
    undefined,
    'Error: required unit test auth/callback.test.ts › rejects a state mismatch is not in reports/unit.xml; ' +
      'did you mean "auth/callback.test.ts › callback › rejects a state mismatch"?',
    'Error: required unit test accepts a valid calback is not in reports/unit.xml; ' +
      'did you mean "accepts a valid callback"?',
    // Nothing like it: no guess.
    'Error: required unit test parses the state is not in reports/unit.xml',
  ]);
});
