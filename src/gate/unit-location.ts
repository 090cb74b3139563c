import path from 'node:path';
import type { UnitSource } from '../schema/unit.ts';

// Apart from unit-source.ts: the runner finds reports for every run, and the XML parser there costs 60 ms.

/**
 * Where a pack's unit report is: its file, or why there is none (an env var unset with no default).
 * `shown` is how messages name it: its path as named, then where that came from (`at`, an env var or
 * its default); a place inside the file goes between the two, `reports/unit.xml:3:7 (from UNIT_JUNIT)`.
 */
export type UnitReportLocation =
  { file: string; shown: string; named: string; at: string } | { file?: undefined; shown: string; problem: string };

/**
 * Where the report `unit.junit` names is: a path, or the env var holding one (its default when
 * unset), relative to the catalogue root unless absolute.
 */
export function unitReportLocation(
  root: string,
  unit: Pick<UnitSource, 'junit'>,
  processEnv: Record<string, string | undefined> = process.env,
): UnitReportLocation {
  const named =
    typeof unit.junit === 'string'
      ? { value: unit.junit, from: '' }
      : processEnv[unit.junit.env]
        ? { value: processEnv[unit.junit.env], from: ` (from ${unit.junit.env})` }
        : { value: unit.junit.default, from: ` (the default: ${unit.junit.env} is not set)` };
  if (!named.value) {
    const variable = (unit.junit as { env: string }).env;
    return {
      shown: `$${variable}`,
      problem: `unit.junit names env var ${variable}, which is not set and has no default: set it to the path of the suite's JUnit report`,
    };
  }
  const file = path.resolve(root, named.value);
  const shown = path.isAbsolute(named.value) ? named.value : path.relative(root, file);
  return { file, shown: shown + named.from, named: shown, at: named.from };
}
