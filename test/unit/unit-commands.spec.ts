import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ProjectPlan } from '../../src/catalogue/project-plan.ts';
import { readUnitReport } from '../../src/gate/unit-source.ts';
import type { RunPlan } from '../../src/run/run-plan.ts';
import { runUnitCommands, unitCommandOutcome } from '../../src/playwright/unit-commands.ts';

const REPORT = '<testsuite name="auth"><testcase classname="auth" name="rejects a state mismatch"/></testsuite>';

/** A run plan of one unit-only pack whose `unit.command` is `command`, in a fresh catalogue root. */
function planWith(command: string): { plan: RunPlan; selected: ProjectPlan[]; unit: { junit: string } } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-unit-commands-'));
  fs.mkdirSync(path.join(root, 'run'));
  const unit = { junit: 'reports/unit.xml', command, command_timeout_s: 60, require: ['rejects a state mismatch'] };
  const plan = {
    root,
    runDir: path.join(root, 'run'),
    packs: { proof: { definition: { unit } } },
    environments: {},
  } as unknown as RunPlan;
  const selected = [{ kind: 'packs', metadata: { layer: 'unit', packs: ['proof'] } }] as unknown as ProjectPlan[];
  return { plan, selected, unit };
}

test("a report the pack's command did not write in this run is an earlier run's: not judged, the run says so", () => {
  const { plan, selected, unit } = planWith(
    `node -e "console.log('suite crashed: cannot find module ./db'); process.exit(3)"`,
  );
  // Yesterday's passing report, left where the suite writes it.
  fs.mkdirSync(path.join(plan.root, 'reports'));
  fs.writeFileSync(path.join(plan.root, 'reports/unit.xml'), REPORT);
  fs.utimesSync(
    path.join(plan.root, 'reports/unit.xml'),
    new Date('2026-12-05T10:00:00Z'),
    new Date('2026-12-05T10:00:00Z'),
  );

  runUnitCommands(plan, selected);
  const outcome = unitCommandOutcome(plan, 'proof');
  expect(outcome).toMatchObject({ exitCode: 3, wroteReport: false });
  const { report } = readUnitReport(plan.root, unit, 'the command exited 3 without writing it', {
    leftOver: outcome?.wroteReport === false,
  });
  expect(report).toEqual({
    ok: false,
    problem:
      'the unit report reports/unit.xml was not written by this run: the command exited 3 without writing it; ' +
      "the file there is an earlier run's (modified 2026-12-05T10:00:00.000Z) and is not judged; " +
      'run the product suite with its JUnit reporter, or fix unit.junit',
  });
});

test('a report the command rewrote is judged, the same bytes as before included; a report it removed is missing', () => {
  const { plan, selected, unit } = planWith(
    `node -e "require('fs').mkdirSync('reports',{recursive:true});require('fs').writeFileSync('reports/unit.xml', process.argv[1])" '${REPORT}'`,
  );
  fs.mkdirSync(path.join(plan.root, 'reports'));
  fs.writeFileSync(path.join(plan.root, 'reports/unit.xml'), REPORT);
  runUnitCommands(plan, selected);
  expect(unitCommandOutcome(plan, 'proof')).toMatchObject({ exitCode: 0, wroteReport: true });
  expect(readUnitReport(plan.root, unit, undefined, { leftOver: false }).report).toMatchObject({ ok: true, tests: 1 });

  const removed = planWith(`node -e "require('fs').rmSync('reports/unit.xml')"`);
  fs.mkdirSync(path.join(removed.plan.root, 'reports'));
  fs.writeFileSync(path.join(removed.plan.root, 'reports/unit.xml'), REPORT);
  runUnitCommands(removed.plan, removed.selected);
  const outcome = unitCommandOutcome(removed.plan, 'proof');
  expect(outcome).toMatchObject({ exitCode: 0, wroteReport: false });
  expect(readUnitReport(removed.plan.root, removed.unit, 'gone', { leftOver: true }).report).toMatchObject({
    ok: false,
    problem: expect.stringContaining('the unit report reports/unit.xml is missing: gone;'),
  });
});

test('a report named by an env var says where its path came from: the variable when set, the default when it is not', () => {
  const unit = { junit: { env: 'PRODUCT_UNIT_JUNIT', default: 'reports/unit-junit.xml' } };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-unit-source-'));
  expect(readUnitReport(root, unit, undefined, { env: {} }).shown).toBe(
    'reports/unit-junit.xml (the default: PRODUCT_UNIT_JUNIT is not set)',
  );
  expect(readUnitReport(root, unit, undefined, { env: { PRODUCT_UNIT_JUNIT: 'ci/junit.xml' } }).shown).toBe(
    'ci/junit.xml (from PRODUCT_UNIT_JUNIT)',
  );
});

test("a report path naming a folder says so in words, and what to name instead, not Node's EISDIR; the fix named is what gave the path", () => {
  const unit = { junit: { env: 'PRODUCT_UNIT_JUNIT', default: 'reports/unit-junit.xml' } };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'packgate-unit-source-'));
  fs.mkdirSync(path.join(root, 'reports'));
  // The suite's output folder given where its file belongs: PRODUCT_UNIT_JUNIT=reports.
  expect(readUnitReport(root, unit, undefined, { env: { PRODUCT_UNIT_JUNIT: 'reports' } }).report).toEqual({
    ok: false,
    problem:
      'the unit report reports (from PRODUCT_UNIT_JUNIT) is a folder, not a file (name the JUnit XML file the suite ' +
      "writes in it); run the product suite with its JUnit reporter, or set PRODUCT_UNIT_JUNIT to the report's path",
  });
  // Before: "or fix unit.junit", of a path the env var gave (or its default, the variable unset).
  expect(readUnitReport(root, unit, undefined, { env: { PRODUCT_UNIT_JUNIT: 'ci/junit.xml' } }).report).toEqual({
    ok: false,
    problem:
      'the unit report ci/junit.xml (from PRODUCT_UNIT_JUNIT) is missing; run the product suite with its JUnit ' +
      "reporter, or set PRODUCT_UNIT_JUNIT to the report's path",
  });
  expect(readUnitReport(root, unit, undefined, { env: {} }).report).toEqual({
    ok: false,
    problem:
      'the unit report reports/unit-junit.xml (the default: PRODUCT_UNIT_JUNIT is not set) is missing; run the ' +
      "product suite with its JUnit reporter, or set PRODUCT_UNIT_JUNIT to the report's path (or fix unit.junit's default)",
  });
  expect(readUnitReport(root, { junit: 'reports/unit-junit.xml' }, undefined).report).toMatchObject({
    problem: expect.stringMatching(/is missing; run the product suite with its JUnit reporter, or fix unit\.junit$/),
  });
});
