import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { faultPossibleIn } from '../../src/faults/faults.ts';
import { expectGroupCaught, faultGroups } from '../helpers/fault-groups.ts';
import { REPO, TempProject } from '../helpers/temp-project.ts';

/**
 * The fault matrix: every regression the reference stack can inject, switched on in a full local
 * gate, turns the pack meant to catch it red with the right verdict, while every pack that neither
 * catches it nor depends on the pack that does stays green. Faults that cannot hide each other share
 * a run (see faultGroups), so the matrix costs a handful of gates, not one per fault.
 */
const catalogue = loadCatalogueOrThrow(REPO);
const groups = faultGroups(catalogue, 'local');
const packs = [...catalogue.packs.keys()];
const seedUsers = [...catalogue.seeds.values()].flatMap(s => s.value.users ?? []);
type PackEvidence = { tests: Array<{ interactiveSignIns: number }> };

test('the matrix covers every fault the loopback stack can have, at least two per pack', () => {
  const covered = groups.flatMap(g => g.faults.map(f => f.id)).sort();
  // The rest exist only in deployment shape: parity.spec.ts runs them on the parity stack.
  const loopback = [...catalogue.faults.values()].filter(f => faultPossibleIn(f.value, 'embedded'));
  expect(covered).toEqual(loopback.map(f => f.value.id).sort());
  for (const pack of packs) {
    const faults = covered.filter(id => catalogue.faults.get(id)!.value.pack === pack);
    expect(faults.length, `faults meant for ${pack}: ${faults.join(', ')}`).toBeGreaterThanOrEqual(2);
  }
});

test('with no fault, the full local gate passes every pack, signing each persona in once', async ({}, testInfo) => {
  const project = await TempProject.create(testInfo);
  // The stack is started here and reused by the run, so its IdP can say how often each persona signed in.
  const stack = await project.startStack();
  try {
    const result = await project.playwright([]);
    expect(result.exitCode, result.output).toBe(0);
    const verdict = project.verdict();
    expect(verdict.verdict).toBe('PASS');
    expect(Object.fromEntries(verdict.packs.map(p => [p.id, p.status]))).toEqual(
      Object.fromEntries(packs.map(id => [id, 'PASS'])),
    );
    expect(result.stdout).toContain(`packgate PASS: local (dev): ${packs.length} passed`);

    // One interactive sign-in per persona in the whole run, counted by the IdP: every worker gets
    // its own app session on the IdP session the sign-in setup left.
    const stats = await fetch(`${project.env.PACKGATE_LOCAL_APP_URL}/__stack/stats`);
    const { interactiveLogins } = (await stats.json()) as { interactiveLogins: { byUser: Record<string, number> } };
    expect(interactiveLogins.byUser).toEqual(Object.fromEntries(seedUsers.map(u => [u.id, 1])));
    // The gate's evidence says the same: the sign-ins are auth-session's, the pack that proves them.
    const signIns = verdict.packs
      .flatMap(p => (JSON.parse(project.read(`gate-results/${p.evidence.dir}/evidence.json`)) as PackEvidence).tests)
      .reduce((n, t) => n + t.interactiveSignIns, 0);
    expect(signIns, 'interactive sign-ins in the evidence').toBe(seedUsers.length);
  } finally {
    stack.kill('SIGTERM');
  }
});

for (const group of groups) {
  const ids = group.faults.map(f => f.id);
  test(`${ids.join(' + ')}: ${group.verdict}`, async ({}, testInfo) => {
    const project = await TempProject.create(testInfo);
    // No retries: a fault fails a test on every attempt, so a retry would only double the time the
    // matrix spends on failures (each costs a worker restart), not change a status.
    const result = await project.playwright(['--retries=0'], { PACKGATE_STACK_FAULTS: ids.join(',') });
    expect(result.exitCode, result.output).toBe(group.verdict === 'BLOCKED' ? 1 : 0);
    expectGroupCaught(catalogue, group, project.verdict());
  });
}
