import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parseJunit } from '../../src/gate/junit-report.ts';
import { readUnitReport } from '../../src/gate/unit-source.ts';

test('an empty JUnit report (a suite that ran no tests) is a report of no cases, not "not a JUnit report"', () => {
  // Before: "its root is not <testsuites> or <testsuite>", of a file whose root is <testsuites>.
  for (const text of ['<testsuites></testsuites>', '<?xml version="1.0"?>\n<testsuites>\n</testsuites>\n'])
    expect(parseJunit(text, 'reports/unit.xml')).toEqual({ ok: true, cases: [], tests: 0, failed: 0, skipped: 0 });
  expect(parseJunit('<report></report>', 'reports/unit.xml')).toEqual({
    ok: false,
    problem:
      "reports/unit.xml is XML but not a JUnit report (its root is not <testsuites> or <testsuite>); point unit.junit at the suite's JUnit output",
  });
});

test('a failure with an empty message attribute is told by its text, then its type; a one-line dump by its start', () => {
  const report = parseJunit(
    '<testsuites><testsuite name="db">' +
      '<testcase classname="db" name="migrates"><failure message="" type="AssertionError">expected 2 &lt; 1\n  at db.test.ts:3</failure></testcase>' +
      '<testcase classname="db" name="seeds"><failure message=" " type="TimeoutError"/></testcase>' +
      '<testcase classname="db" name="drops"><error message="connection refused &amp; closed"/></testcase>' +
      '<testcase classname="db" name="cleans"><failure/></testcase>' +
      '</testsuite></testsuites>',
    'reports/unit.xml',
  );
  // Before: "failed, without a message" for the first two, the text and the type there to read.
  expect(report.ok && report.cases.map(c => [c.name, c.message])).toEqual([
    ['migrates', 'expected 2 < 1'],
    ['seeds', 'TimeoutError'],
    ['drops', 'connection refused & closed'],
    ['cleans', 'failed, without a message'],
  ]);
  // A one-line dump quoted as its start: before, all 20,000 characters became the pack's reason.
  const dump = parseJunit(
    `<testsuite><testcase name="bundles"><failure message="expected ${'x'.repeat(20_000)}"/></testcase></testsuite>`,
    'reports/unit.xml',
  );
  expect(dump.ok && dump.cases[0].message).toBe(`expected ${'x'.repeat(228)}...`);
});

test("a report that is not XML is located file:line:col, the file's env var said after it", ({}, testInfo) => {
  // README "Unit": `<file>:<line>:<col> is not XML (...)`. Before: the location followed the note on
  // where the path came from, "reports/unit.xml (the default: UNIT_JUNIT is not set):1:1", which no
  // editor or terminal opens.
  const root = testInfo.outputPath('project');
  fs.mkdirSync(path.join(root, 'reports'), { recursive: true });
  fs.writeFileSync(path.join(root, 'reports/unit.xml'), 'not xml <');
  const junit = { env: 'UNIT_JUNIT', default: 'reports/unit.xml' };
  const problem = (env: Record<string, string>) => {
    const { report } = readUnitReport(root, { junit }, undefined, { env });
    return report.ok ? 'ok' : report.problem;
  };
  expect(problem({})).toMatch(/^reports\/unit\.xml:1:1 \(the default: UNIT_JUNIT is not set\) is not XML \(.+\); /);
  expect(problem({ UNIT_JUNIT: 'reports/unit.xml' })).toMatch(
    /^reports\/unit\.xml:1:1 \(from UNIT_JUNIT\) is not XML /,
  );
  expect(readUnitReport(root, { junit: 'reports/unit.xml' }, undefined).report).toMatchObject({
    problem: expect.stringMatching(/^reports\/unit\.xml:1:1 is not XML /),
  });
});

test('a report in UTF-16 or a declared encoding is read in it: its cases and their names as the suite wrote them', ({}, testInfo) => {
  const root = testInfo.outputPath('project');
  fs.mkdirSync(root, { recursive: true });
  const cases = '<testsuite name="i18n"><testcase classname="i18n" name="formats café"/></testsuite>';
  const write = (name: string, bytes: Buffer) => fs.writeFileSync(path.join(root, name), bytes);
  // Windows tools write UTF-16 with a byte order mark; a Java or Python suite may declare Latin-1.
  write(
    'utf16.xml',
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${cases}`, 'utf16le'),
    ]),
  );
  write('utf16be.xml', Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${cases}`, 'utf16le').swap16());
  write('latin1.xml', Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${cases}`, 'latin1'));
  // .NET's XmlWriter over a string declares utf-16 whatever the file is saved in: its bytes are UTF-8.
  write('says-utf16.xml', Buffer.from(`<?xml version="1.0" encoding="utf-16"?>${cases}`, 'utf8'));
  write('utf8-bom.xml', Buffer.from(`\uFEFF<?xml version="1.0"?>${cases}`, 'utf8'));
  const read = (name: string) => readUnitReport(root, { junit: name }, undefined).report;
  // Before: "utf16.xml:1:1 is not XML (char '�' is not expected)", and Latin-1's "café" read as "caf�".
  for (const name of ['utf16.xml', 'utf16be.xml', 'latin1.xml', 'says-utf16.xml', 'utf8-bom.xml'])
    expect(read(name), name).toEqual({
      ok: true,
      cases: [{ id: 'i18n › formats café', name: 'formats café', outcome: 'passed' }],
      tests: 1,
      failed: 0,
      skipped: 0,
    });
  write('ebcdic.xml', Buffer.from(`<?xml version="1.0" encoding="EBCDIC-CP-US"?>${cases}`, 'utf8'));
  expect(read('ebcdic.xml')).toEqual({
    ok: false,
    problem: 'ebcdic.xml declares encoding "EBCDIC-CP-US", which cannot be read here: write the report as UTF-8',
  });
});

test('cases in a <testsuites> nested in another, or straight under <testsuites>, are judged: not "holds no test cases"', () => {
  // A report merged from several suites nests each one's <testsuites> whole; before, its cases were
  // not seen, and the layer failed with "holds no test cases" while a failure inside passed unseen.
  const report = parseJunit(
    '<testsuites name="merged">' +
      '<testsuites name="web"><testsuite name="auth"><testcase classname="auth" name="signs in"/></testsuite></testsuites>' +
      '<testsuites name="api"><testsuite name="db"><testcase classname="db" name="migrates"><failure message="boom"/></testcase></testsuite></testsuites>' +
      '<testcase classname="top" name="stands alone"/>' +
      '</testsuites>',
    'reports/unit.xml',
  );
  expect(report).toEqual({
    ok: true,
    cases: [
      { id: 'top › stands alone', name: 'stands alone', outcome: 'passed' },
      { id: 'auth › signs in', name: 'signs in', outcome: 'passed' },
      { id: 'db › migrates', name: 'migrates', outcome: 'failed', message: 'boom' },
    ],
    tests: 3,
    failed: 1,
    skipped: 0,
  });
});

test('attributes of a case are not its children: skipped="false" is not a skip, nor a message="..." attribute a failure', () => {
  const report = parseJunit(
    '<testsuite name="api">' +
      '<testcase classname="api" name="lists" skipped="false" failure="0" error="none"/>' +
      '<testcase classname="api" name="waits"><skipped message="flaky upstream"/></testcase>' +
      '<testcase classname="api" name="breaks"><failure message="boom"/></testcase>' +
      '</testsuite>',
    'reports/unit.xml',
  );
  // Before: "lists" was skipped (the attribute read as a <skipped> child) and then failed (as a <failure>).
  expect(report.ok && report.cases.map(c => [c.name, c.outcome, c.message])).toEqual([
    ['lists', 'passed', undefined],
    ['waits', 'skipped', undefined],
    ['breaks', 'failed', 'boom'],
  ]);
});

test('colour codes written as character references leave nothing in a failure message', () => {
  const report = parseJunit(
    '<testsuite><testcase name="a"><failure message="&#27;[31mexpected&#27;[39m 1 &#x1B;[2mto be&#x1b;[22m 2 [sic]"/></testcase></testsuite>',
    'reports/unit.xml',
  );
  // Before: "[31mexpected[39m 1 [2mto be[22m 2 [sic]" in the verdict's reason.
  expect(report.ok && report.cases[0].message).toBe('expected 1 to be 2 [sic]');
});
