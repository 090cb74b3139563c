import type { EnvironmentKind, Policy, Stage } from '../schema/common.ts';
import { stages } from '../schema/constants.ts';
import type { Environment } from '../schema/environment.ts';
import type { Pack } from '../schema/pack.ts';

/** A pack as one environment runs it, with the policy it has there. */
export type PackInEnvironment = { pack: Pack; policy: Policy; why: 'policy' | 'included' };

/** A pack the environment would run but excludes, and why; the verdict lists these. */
export type ExcludedPack = { pack: string; reason: string };

type EnvironmentSelection = { stage: Stage; kind: EnvironmentKind; packs: Environment['packs'] };

/**
 * The packs an environment runs: those whose policy names its stage and whose `kinds` allow its
 * kind, minus the ones it excludes, plus the ones it includes with a policy of its own. Packs name
 * stages and environments choose among them, so adding an environment never means editing a pack.
 */
export function packsOfEnvironment(env: EnvironmentSelection, packs: Iterable<Pack>): PackInEnvironment[] {
  const excluded = new Set(env.packs.exclude.map(e => e.pack));
  const included = new Map(env.packs.include.map(i => [i.pack, i.policy]));
  const out: PackInEnvironment[] = [];
  for (const pack of packs) {
    if (excluded.has(pack.id)) continue;
    const own = appliesTo(pack, env) ? pack.policy[env.stage] : undefined;
    if (own) out.push({ pack, policy: own, why: 'policy' });
    else if (included.has(pack.id)) out.push({ pack, policy: included.get(pack.id)!, why: 'included' });
  }
  return out.sort((a, b) => a.pack.id.localeCompare(b.pack.id));
}

/** Whether a pack's own policy and kinds put it in environments of this stage and kind. */
export function appliesTo(pack: Pick<Pack, 'policy' | 'kinds'>, env: { stage: Stage; kind: EnvironmentKind }): boolean {
  return pack.policy[env.stage] !== undefined && (!pack.kinds || pack.kinds.includes(env.kind));
}

/** The packs this environment excludes that would otherwise run in it. */
export function excludedPacks(env: EnvironmentSelection, packs: Iterable<Pack>): ExcludedPack[] {
  const byId = new Map([...packs].map(p => [p.id, p]));
  return env.packs.exclude.filter(e => {
    const pack = byId.get(e.pack);
    return pack !== undefined && appliesTo(pack, env);
  });
}

/** The environments that run this pack, by stage (dev first), then name. */
export function environmentsOfPack(
  pack: Pack,
  environments: Iterable<{ name: string; stage: Stage; kind: EnvironmentKind; packs: Environment['packs'] }>,
  packs: Iterable<Pack>,
): string[] {
  const all = [...packs];
  return [...environments]
    .filter(env => packsOfEnvironment(env, all).some(r => r.pack.id === pack.id))
    .sort((a, b) => stages.indexOf(a.stage) - stages.indexOf(b.stage) || a.name.localeCompare(b.name))
    .map(env => env.name);
}
