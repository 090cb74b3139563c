import type { Layer } from '../schema/common.ts';
import type { Refusal } from '../schema/refusal.ts';
import type { RefusalOutcome } from '../schema/verdict.ts';
import { notAsWritten } from './judge.ts';
import type { ObservedTest } from './observe.ts';

/**
 * What a run showed of each refusal a pack declares, from the tests that claim it (their `refuses`
 * annotations). A refusal is proven only by a claiming test that ran and passed; one whose tests this
 * environment's layers do not run, or that skipped saying why, is listed as not applicable, never as
 * proven. `claimedAt`: the layers whose specs claim it (read from their source), so a claiming test
 * the run left out is not-run, not "no test of it runs at these layers".
 */
export function refusalOutcomes(
  declared: readonly Pick<Refusal, 'id'>[],
  tests: readonly ObservedTest[],
  layersRun: readonly Layer[],
  selected = true,
  claimedAt: (id: string) => readonly Layer[] = () => [],
): RefusalOutcome[] {
  // A pack this run left out proves nothing, and its tests may well run at these layers.
  if (!selected) return declared.map(({ id }) => ({ id, status: 'not-run', tests: [], why: NOT_SELECTED_WHY }));
  return declared.map(({ id }) => {
    const claiming = tests.filter(t => t.refuses.includes(id));
    const names = claiming.map(t => `${t.project.layer}: ${t.title}`);
    // A spec of a layer run here claims it, and the run reported no test of it: left out, not inapplicable.
    const leftOut = claimedAt(id).filter(layer => layersRun.includes(layer));
    if (!claiming.length && leftOut.length)
      return {
        id,
        status: 'not-run',
        tests: [],
        why:
          `its test at the ${[...new Set(leftOut)].join(' and ')} layer was not selected by this run ` +
          '(a subset was chosen with --grep, --project, a file filter or a shard)',
      };
    if (!claiming.length)
      return {
        id,
        status: 'not-applicable',
        tests: [],
        why: `no test of it runs at the layers run here (${layersRun.join(', ') || 'none'})`,
      };
    if (claiming.some(t => t.outcome === 'unexpected' && t.lastStatus !== undefined && t.lastStatus !== 'skipped'))
      return { id, status: 'failed', tests: names };
    // A test the gate counts as failed though Playwright passed it (it asserted nothing, or is
    // declared test.fail()) proves nothing: failed, as the pack's tests count it, saying why.
    const unproven = [...new Set(claiming.flatMap(t => (notAsWritten(t) ? [`its test ${notAsWritten(t)}`] : [])))];
    if (unproven.length) return { id, status: 'failed', tests: names, why: unproven.join('; ') };
    if (claiming.some(ran)) return { id, status: 'proven', tests: names };
    // A test that ran and said its check does not apply here (e.g. no account for its persona).
    const notApplicable = [...new Set(claiming.flatMap(t => (t.lastStatus === 'passed' ? t.notApplicable : [])))];
    if (notApplicable.length) return { id, status: 'not-applicable', tests: names, why: notApplicable.join('; ') };
    // Seed data (an account) the deployment lacks kept the test from running: not run, as its pack is.
    const unseeded = [...new Set(claiming.flatMap(t => (t.seedMissing ? [t.seedMissing] : [])))];
    if (unseeded.length) return { id, status: 'not-run', tests: names, why: unseeded.join('; ') };
    const skipped = [
      ...new Set(claiming.flatMap(t => (t.lastStatus === 'skipped' && t.skipReason ? [t.skipReason] : []))),
    ];
    if (skipped.length) return { id, status: 'not-applicable', tests: names, why: skipped.join('; ') };
    const because = [...new Set(claiming.flatMap(t => (t.notRunBecause ? [t.notRunBecause] : [])))];
    // Skipped by its own test.skip()/test.fixme(), which gave no reason: say so, not "did not run".
    const silent = claiming.some(t => t.lastStatus === 'skipped' && !t.skipReason);
    return {
      id,
      status: 'not-run',
      tests: names,
      why:
        because.join('; ') ||
        (silent ? 'its test was skipped (test.skip or test.fixme) without saying why' : 'its tests did not run'),
    };
  });
}

/** Why a refusal of a pack the run did not select was not proven; the printed verdict leaves such refusals out. */
export const NOT_SELECTED_WHY = 'the pack was not selected by this run';

/** A test that ran its body to a pass (not skipped, not left out), its check applying here. */
function ran(test: ObservedTest): boolean {
  return test.lastStatus === 'passed' && !test.notApplicable.length;
}

/** `3/4`: refusals proven of those declared; `-` when the pack declares none. */
export function refusalsCell(outcomes: readonly RefusalOutcome[]): string {
  return outcomes.length ? `${outcomes.filter(o => o.status === 'proven').length}/${outcomes.length}` : '-';
}
