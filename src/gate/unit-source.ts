import fs from 'node:fs';
import path from 'node:path';
import type { UnitSource } from '../schema/unit.ts';
import { UNIT_REPORT_ATTACHMENT } from '../schema/constants.ts';
import type { PackVerdict } from '../schema/verdict.ts';
import type { ObservedTest } from './observe.ts';
import { parseJunit, type UnitReport } from './junit-report.ts';

/** A pack's unit report as read for one run: where it is, and what it says (or why it says nothing). */
export type ReadUnitReport = { file?: string; shown: string; report: UnitReport };

/**
 * Finds and reads the report `unit.junit` names: a path, or the env var holding one (its default
 * when unset), relative to the catalogue root unless absolute. A report that is missing, unreadable
 * or not JUnit comes back with the problem, naming the file; `because` says what the run knows of
 * why (the command that should have written it).
 */
export function readUnitReport(
  root: string,
  unit: Pick<UnitSource, 'junit'>,
  because: string | undefined,
  processEnv: Record<string, string | undefined> = process.env,
): ReadUnitReport {
  const named =
    typeof unit.junit === 'string'
      ? { value: unit.junit, from: '' }
      : { value: processEnv[unit.junit.env] || unit.junit.default, from: ` (from ${unit.junit.env})` };
  if (!named.value) {
    const variable = (unit.junit as { env: string }).env;
    return {
      shown: `$${variable}`,
      report: {
        ok: false,
        problem: `unit.junit names env var ${variable}, which is not set and has no default: set it to the path of the suite's JUnit report`,
      },
    };
  }
  const file = path.resolve(root, named.value);
  const shown = (path.isAbsolute(named.value) ? named.value : path.relative(root, file)) + named.from;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(error)})`;
    return {
      shown,
      report: {
        ok: false,
        problem: `the unit report ${shown} ${what}${because ? `: ${because}` : ''}; run the product suite with its JUnit reporter, or fix unit.junit`,
      },
    };
  }
  return { file, shown, report: parseJunit(text, shown) };
}

export type UnitReportCounts = NonNullable<PackVerdict['unitReport']>;

/**
 * What each pack's product suite report held, from the copy its unit-layer test attached (the file
 * the gate judged, not the file as it may be by now; the last attempt's). A pack whose report was
 * not attached or does not read as JUnit has none: its tests' failures say why. Loaded only by a run
 * with a unit layer: the XML parser costs every other run 60 ms.
 */
export function unitReportCounts(tests: readonly ObservedTest[]): Map<string, UnitReportCounts> {
  const counts = new Map<string, UnitReportCounts>();
  for (const test of tests) {
    if (test.project.layer !== 'unit' || counts.has(test.pack)) continue;
    const attached = [...test.failureAttachments].reverse().find(a => a.name === UNIT_REPORT_ATTACHMENT);
    if (!attached) continue;
    let text: string;
    try {
      text = fs.readFileSync(attached.path, 'utf8');
    } catch {
      continue;
    }
    const report = parseJunit(text, attached.path);
    if (report.ok) counts.set(test.pack, { tests: report.tests, failed: report.failed, skipped: report.skipped });
  }
  return counts;
}
