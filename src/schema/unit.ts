import { z } from 'zod';
import { envValueSchema, filledList } from './common.ts';

/**
 * A pack's `unit` layer: the product's own test suite, judged by the JUnit XML report it writes. The
 * gate does not run unit tests itself; it reads the report the suite left (or the one `command`
 * writes), and requires the named tests to be in it and passed.
 */
export const unitSourceSchema = z.strictObject({
  /**
   * The suite's JUnit XML report: a path relative to the catalogue root, or an env var holding a
   * path (relative ones are read from the catalogue root too).
   * @example reports/unit-junit.xml
   * @example { env: PRODUCT_UNIT_JUNIT, default: reports/unit-junit.xml }
   */
  junit: envValueSchema,
  /**
   * A shell command that writes the report, run once per gate run in the catalogue root before the
   * tests start. Its exit code is not the verdict (a suite with failures exits non-zero): the report is.
   * Default: none, the report is already there (written by the product's CI).
   * @example npx vitest run --reporter=junit --outputFile=reports/unit-junit.xml
   */
  command: z.string().min(1).optional(),
  /** How long `command` may run, in seconds. Default 600. */
  command_timeout_s: z.number().int().positive().max(3600).default(600),
  /**
   * The tests the pack relies on, by id: `<classname> › <name>` of a `<testcase>`, or its `name`
   * alone. ` > ` in either is read as ` › ` (vitest writes nested titles with it). Each must be in
   * the report and passed; a test it does not name still fails the layer when it fails.
   * @example ["auth/callback.test.ts › rejects a state mismatch"]
   */
  require: filledList(
    z.string().trim().min(1),
    'name at least one test the pack relies on, e.g. "auth/callback.test.ts › rejects a state mismatch"',
  ).superRefine((ids, ctx) => {
    // Each id is a test of the `<env>-unit` project: one listed twice would be a duplicate title,
    // which stops the whole run before any test, pointing into packgate's own spec.
    const first = new Map<string, number>();
    ids.forEach((id, i) => {
      const key = id.replace(/\s+>\s+/g, ' › ');
      const same = first.get(key);
      if (same === undefined) first.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `"${id}" is listed twice (require[${same}] is the first${ids[same] === id ? '' : ', read " > " as " › "'})`,
          params: { hint: 'list each test once: remove this one' },
        });
    });
  }),
});

export type UnitSource = z.output<typeof unitSourceSchema>;
