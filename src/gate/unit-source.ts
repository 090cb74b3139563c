import fs from 'node:fs';
import type { UnitSource } from '../schema/unit.ts';
import { unreadable } from '../fs/named-file.ts';
import { UNIT_REPORT_ATTACHMENT } from '../schema/constants.ts';
import type { PackVerdict } from '../schema/verdict.ts';
import type { ObservedTest } from './observe.ts';
import { parseJunit, type UnitReport } from './junit-report.ts';
import { unitReportLocation } from './unit-location.ts';

/** A pack's unit report as read for one run: where it is, and what it says (or why it says nothing). */
export type ReadUnitReport = { file?: string; shown: string; report: UnitReport };

/**
 * Finds and reads the report `unit.junit` names (see unitReportLocation). A report that is missing,
 * unreadable or not JUnit comes back with the problem, naming the file; `because` says what the run
 * knows of why (the command that should have written it). `leftOver`: the pack's command ran in
 * this run and did not write the file, so what is there is an earlier run's and is not judged.
 */
export function readUnitReport(
  root: string,
  unit: Pick<UnitSource, 'junit'>,
  because: string | undefined,
  { env = process.env, leftOver = false }: { env?: Record<string, string | undefined>; leftOver?: boolean } = {},
): ReadUnitReport {
  const location = unitReportLocation(root, unit, env);
  if (location.file === undefined) return { shown: location.shown, report: { ok: false, problem: location.problem } };
  const { file, shown } = location;
  // What names the path is what to correct: the env var when it gave it, unit.junit when the file did.
  const variable = typeof unit.junit === 'string' ? undefined : unit.junit.env;
  const fix =
    'run the product suite with its JUnit reporter, or ' +
    (!variable
      ? 'fix unit.junit'
      : env[variable]
        ? `set ${variable} to the report's path`
        : `set ${variable} to the report's path (or fix unit.junit's default)`);
  let bytes: Buffer;
  try {
    if (leftOver) {
      const modified = fs.statSync(file).mtime.toISOString();
      return {
        shown,
        report: {
          ok: false,
          problem:
            `the unit report ${shown} was not written by this run${because ? `: ${because}` : ''}; ` +
            `the file there is an earlier run's (modified ${modified}) and is not judged; ${fix}`,
        },
      };
    }
    // As bytes: the report says its own encoding (decodeXml).
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT'
        ? 'is missing'
        : code === 'EISDIR'
          ? 'is a folder, not a file (name the JUnit XML file the suite writes in it)'
          : `cannot be read (${unreadable(error)})`;
    return {
      shown,
      report: {
        ok: false,
        problem: `the unit report ${shown} ${what}${because ? `: ${because}` : ''}; ${fix}`,
      },
    };
  }
  return { file, shown, report: parseJunit(bytes, location.named, location.at) };
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
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(attached.path);
    } catch {
      continue;
    }
    const report = parseJunit(bytes, attached.path);
    if (report.ok) counts.set(test.pack, { tests: report.tests, failed: report.failed, skipped: report.skipped });
  }
  return counts;
}
