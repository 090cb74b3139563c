import { expect, test } from '@playwright/test';
import { renderSummary, renderTable } from '../../src/gate/render.ts';
import type { VerdictFile } from '../../src/schema/verdict.ts';
import { assembledVerdict } from '../helpers/assembled-run.ts';

/** A verdict whose packs left their refusals unproven as given, by pack. */
function verdictWith(refusals: Record<string, VerdictFile['packs'][number]['refusals']>): VerdictFile {
  const verdict = assembledVerdict();
  return {
    ...verdict,
    packs: verdict.packs.map(p => ({ ...p, status: 'FAIL', refusals: refusals[p.id] ?? [] })),
  };
}

test('refusals left unproven for one reason share a line; each other reason keeps its own', () => {
  const signIn = 'the sign-in setup failed (sign in as ada: PACKGATE_DEMO_USER_PASSWORD is not set)';
  const verdict = verdictWith({
    'app-launch': [
      { id: 'foreign-project', status: 'not-run', tests: [], why: signIn },
      { id: 'over-quota', status: 'proven', tests: [] },
    ],
    terminal: [
      { id: 'visitor-terminal', status: 'not-run', tests: [], why: signIn },
      { id: 'foreign-origin-terminal', status: 'failed', tests: [] },
    ],
    'v3-shell': [{ id: 'foreign-tenant', status: 'not-run', tests: [], why: signIn }],
  });
  const table = renderTable(verdict, 'gate-results');
  expect(table).toContain(
    `  refusals app-launch/foreign-project, terminal/visitor-terminal, v3-shell/foreign-tenant not-run: ${signIn}\n`,
  );
  expect(table).toContain('  refusal terminal/foreign-origin-terminal failed\n');
  expect(table.split(signIn)).toHaveLength(2);
  expect(table).not.toContain('over-quota');
  expect(renderSummary(verdict)).toContain(
    `- refusals app-launch/foreign-project, terminal/visitor-terminal, v3-shell/foreign-tenant not-run: ${signIn}\n`,
  );
});
