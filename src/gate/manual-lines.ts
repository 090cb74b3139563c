import type { ManualOutcome, VerdictFile } from '../schema/verdict.ts';

/**
 * Each manual check of the verdict in one line, for the table and summary.md: marked `manual`, with
 * who recorded it and when, so a pass by a person never reads as a test's.
 */
export function manualLines(verdict: VerdictFile): string[] {
  return verdict.packs.flatMap(p => (p.manual ?? []).map(m => `manual ${p.id}/${m.id} (${m.policy}): ${describe(m)}`));
}

function describe(m: ManualOutcome): string {
  switch (m.status) {
    case 'valid':
      return `${m.result} recorded by ${m.by} at ${m.at}, valid until ${m.expires}${m.note ? ` (${m.note})` : ''}`;
    case 'expired':
      return `expired at ${m.expires} (${m.result} recorded by ${m.by} at ${m.at})`;
    case 'missing':
      return 'no verdict recorded';
    case 'not-applicable':
      return 'not applicable: this environment does not run the manual layer';
  }
}
