import fs from 'node:fs';
import path from 'node:path';
import type { UnitSource } from '../schema/unit.ts';
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
