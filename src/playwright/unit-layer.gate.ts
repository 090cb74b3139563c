import { expect, test } from '@playwright/test';
import { UNIT_REPORT_ATTACHMENT, UNIT_REPORT_TITLE, unitRequireTitle } from '../gate/attachments.ts';
import { likelyMeant, requirementOutcome } from '../gate/junit-report.ts';
import { readUnitReport } from '../gate/unit-source.ts';
import { currentRunPlan } from '../run/run-plan.ts';
import { unitCommandOutcome, type UnitCommandOutcome } from './unit-commands.ts';

/**
 * The `unit` layer's spec (`<env>-unit`, see unitPlan): for each pack with a `unit:` source, a test
 * of the product suite's JUnit report as a whole and one per test id the pack requires, so the gate
 * judges them like any other layer's tests. Tests are declared for the packs of every unit project
 * in the run, tagged `@pack:<id>`; each project's `grep` keeps its own. Nothing here starts a
 * browser or needs a stack.
 */
const plan = currentRunPlan();
const packs = new Set(
  (plan?.projects ?? []).flatMap(p => (p.kind === 'packs' && p.metadata.layer === 'unit' ? p.metadata.packs : [])),
);

for (const id of [...packs].sort()) {
  const unit = plan!.packs[id]?.definition.unit;
  if (!unit) continue;
  // Read once per worker: every test of the pack judges the same report (before, each required id
  // read and parsed the file again, and one rewritten meanwhile was judged as two reports).
  let once: ReturnType<typeof readUnitReport> | undefined;
  const read = () => {
    if (once) return once;
    const outcome = unitCommandOutcome(plan!, id);
    return (once = readUnitReport(plan!.root, unit, explain(outcome), { leftOver: outcome?.wroteReport === false }));
  };

  test.describe(id, { tag: `@pack:${id}` }, () => {
    test(UNIT_REPORT_TITLE, async ({}, testInfo) => {
      const { file, shown, report } = read();
      // The file judged is evidence, one that is not JUnit too: the reader sees what the suite wrote.
      if (file) await testInfo.attach(UNIT_REPORT_ATTACHMENT, { path: file, contentType: 'application/xml' });
      expect(report.ok, report.ok ? '' : report.problem).toBe(true);
      if (!report.ok || !file) return;
      expect(report.tests, `${shown} holds no test cases`).toBeGreaterThan(0);
      const failed = report.cases.filter(c => c.outcome === 'failed');
      expect(
        failed.map(c => c.id),
        `${failed.length} of ${report.tests} tests failed in ${shown}: ` +
          failed
            .slice(0, 3)
            .map(c => `${c.id}: ${c.message}`)
            .join('; '),
      ).toEqual([]);
    });

    for (const required of unit.require)
      test(unitRequireTitle(required), async () => {
        const { shown, report } = read();
        expect(report.ok, report.ok ? '' : report.problem).toBe(true);
        if (!report.ok) return;
        const { outcome, message } = requirementOutcome(report.cases, required);
        const meant = outcome === 'missing' ? likelyMeant(report.cases, required) : [];
        expect(
          outcome,
          `required unit test ${required} is not in ${shown}` +
            (meant.length ? `; did you mean ${meant.map(id => `"${id}"`).join(' or ')}?` : ''),
        ).not.toBe('missing');
        expect(outcome, `required unit test ${required} failed in ${shown}: ${message}`).not.toBe('failed');
        // Skipped in the suite proves nothing: skipped here too, so a release stage sees it.
        test.skip(outcome === 'skipped', `required unit test ${required} was skipped in ${shown}`);
        expect(outcome).toBe('passed');
      });
  });
}

function explain(outcome: UnitCommandOutcome | undefined): string | undefined {
  if (!outcome) return undefined;
  const ended = outcome.timedOut
    ? 'timed out'
    : outcome.signal
      ? `was killed (${outcome.signal})`
      : `exited ${outcome.exitCode}`;
  return `\`${outcome.command}\` ${ended} without writing it${outcome.lastLine ? ` (${outcome.lastLine})` : ''}`;
}
