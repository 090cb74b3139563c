import { expect } from '@playwright/test';
import type { Catalogue } from '../../src/catalogue/load.ts';
import { packsOfEnvironment } from '../../src/catalogue/environment-packs.ts';
import type { Policy } from '../../src/schema/common.ts';
import { faultPossibleIn } from '../../src/faults/faults.ts';
import type { Fault } from '../../src/schema/project.ts';

export type FaultCase = { id: string; pack: string; policy: Policy };

/** Faults injected together in one gate run, and what that run must show. */
export type FaultGroup = {
  faults: FaultCase[];
  /** BLOCKED when any fault's pack blocks in the environment, else PASS_WITH_WARNINGS. */
  verdict: 'BLOCKED' | 'PASS_WITH_WARNINGS';
};

/**
 * Splits an environment's fault catalogue into groups that can share one gate run without hiding
 * each other: no two faults of a group are caught by the same pack, and no fault's pack depends
 * (transitively) on another's, so each pack meant to catch a fault fails for its own fault and not
 * as blocked-by-upstream. Faults of blocking and advisory packs go in separate groups, so advisory
 * faults show their own PASS_WITH_WARNINGS.
 */
export function faultGroups(
  catalogue: Catalogue,
  environment: string,
  include: (fault: Fault) => boolean = () => true,
): FaultGroup[] {
  const env = catalogue.environments.get(environment)!.value;
  const policies = new Map(
    packsOfEnvironment(
      env,
      [...catalogue.packs.values()].map(p => p.value),
    ).map(r => [r.pack.id, r.policy]),
  );
  const related = (a: string, b: string) =>
    a === b || upstreamOf(catalogue, a).has(b) || upstreamOf(catalogue, b).has(a);
  const cases = [...catalogue.faults.values()]
    .filter(f => include(f.value) && faultPossibleIn(f.value, env.kind))
    .map(f => ({ id: f.value.id, pack: f.value.pack, policy: policies.get(f.value.pack)! }))
    .filter(c => c.policy !== undefined);
  const groups: FaultCase[][] = [];
  for (const fault of cases) {
    const home = groups.find(
      group => group[0].policy === fault.policy && group.every(other => !related(other.pack, fault.pack)),
    );
    if (home) home.push(fault);
    else groups.push([fault]);
  }
  return groups.map(faults => ({
    faults,
    verdict: faults.some(f => f.policy === 'blocking') ? 'BLOCKED' : 'PASS_WITH_WARNINGS',
  }));
}

/** Every pack `id` depends on, directly or through others. */
export function upstreamOf(catalogue: Catalogue, id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (pack: string) => {
    for (const up of catalogue.packs.get(pack)?.value.depends_on ?? []) {
      if (seen.has(up)) continue;
      seen.add(up);
      visit(up);
    }
  };
  visit(id);
  return seen;
}

/** Asserts a fault group's verdict: each fault's pack FAIL as its policy owes, every other pack PASS or blocked by one of them. */
export function expectGroupCaught(
  catalogue: Catalogue,
  group: FaultGroup,
  verdict: {
    verdict: string;
    faults?: string[];
    packs: Array<{ id: string; status: string; blocks: boolean; reason: string }>;
  },
): void {
  const ids = group.faults.map(f => f.id);
  expect(verdict).toMatchObject({ verdict: group.verdict, faults: ids });
  const status = new Map(verdict.packs.map(p => [p.id, p]));
  const targets = new Set(group.faults.map(f => f.pack));
  for (const fault of group.faults) {
    const pack = status.get(fault.pack)!;
    expect(pack.status, `${fault.id} turns ${fault.pack} red: ${pack.reason}`).toBe('FAIL');
    expect(pack.blocks, `${fault.pack} is ${fault.policy} here`).toBe(fault.policy === 'blocking');
  }
  for (const pack of verdict.packs.filter(p => !targets.has(p.id))) {
    const upstream = [...upstreamOf(catalogue, pack.id)].filter(up => targets.has(up));
    if (!upstream.length)
      expect(pack.status, `${pack.id} neither catches ${ids.join(', ')} nor depends on it: ${pack.reason}`).toBe(
        'PASS',
      );
    else if (pack.status !== 'PASS')
      expect(pack, `${pack.id} depends on ${upstream.join(', ')}`).toMatchObject({ status: 'BLOCKED_BY_UPSTREAM' });
  }
}
