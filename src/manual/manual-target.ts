import { packsOfEnvironment } from '../catalogue/environment-packs.ts';
import type { Catalogue } from '../catalogue/load.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { suggest } from '../diagnostics/nearest.ts';
import type { Governance } from '../governance/governance-schema.ts';
import type { Environment } from '../schema/environment.ts';
import type { ManualCheck } from '../schema/manual-check.ts';
import type { Pack } from '../schema/pack.ts';

/** The manual check a person records, in the environment it is recorded for. */
export type ManualTarget = { pack: Pack; check: ManualCheck; environment: string; env: Environment };

/**
 * The pack, environment and check named on the command line, each checked (INPUT_INVALID, exit 2:
 * nothing recorded): the check exists, and the environment runs the pack and its manual layer, so
 * a verdict recorded is one some gate reads.
 */
export function manualTarget(catalogue: Catalogue, names: { pack: string; env: string; check: string }): ManualTarget {
  const located = catalogue.packs.get(names.pack);
  if (!located)
    throw new PackgateError('INPUT_INVALID', `there is no pack "${names.pack}"`, {
      hint: suggest(names.pack, [...catalogue.packs.keys()], 'packs'),
    });
  const pack = located.value;
  const envLocated = catalogue.environments.get(names.env);
  if (!envLocated)
    throw new PackgateError('INPUT_INVALID', `there is no environment "${names.env}"`, {
      hint: suggest(names.env, [...catalogue.environments.keys()], 'environments'),
    });
  const env = envLocated.value;
  const check = pack.manual.find(c => c.id === names.check);
  if (!check)
    throw new PackgateError('INPUT_INVALID', `pack ${pack.id} has no manual check "${names.check}"`, {
      hint: pack.manual.length
        ? suggest(
            names.check,
            pack.manual.map(c => c.id),
            `manual checks of ${pack.id}`,
          )
        : `${located.source.file} declares no manual checks: add it under manual: (id, title, start, steps, ` +
          'expected, lane, valid_for), with manual among its layers',
    });
  const packs = [...catalogue.packs.values()].map(p => p.value);
  const judges = (e: Environment) =>
    e.layers.includes('manual') && packsOfEnvironment(e, packs).some(r => r.pack.id === pack.id);
  if (!judges(env)) {
    const runs = packsOfEnvironment(env, packs).some(r => r.pack.id === pack.id);
    const others = [...catalogue.environments].filter(([, e]) => judges(e.value)).map(([name]) => name);
    throw new PackgateError(
      'INPUT_INVALID',
      `environment ${names.env} ${runs ? 'does not run the manual layer' : `does not run pack ${pack.id}`}: no gate there would read the verdict`,
      {
        // A valid catalogue has one: lint refuses a manual layer no environment running the pack runs.
        hint: `record it for an environment that judges ${pack.id}'s manual checks: ${others.join(', ') || '(none)'}`,
      },
    );
  }
  return { pack, check, environment: names.env, env };
}

/**
 * The lane the recorder acts for must be the check's: a verdict is a judgement its lane owns. The
 * lane comes from --lane (governance has no actor-to-lane map); an unknown lane is bad input, another
 * lane a refusal (MANUAL_REFUSED, exit 1).
 */
export function recordingLane(
  target: ManualTarget,
  lane: string | undefined,
  governance: Governance | undefined,
): string {
  const { check, pack } = target;
  if (!lane)
    throw new PackgateError('INPUT_INVALID', `say which lane you record for: --lane ${check.lane}`, {
      hint: `manual check ${pack.id}/${check.id} is recorded by lane ${check.lane}`,
    });
  if (governance && !(lane in governance.lanes))
    throw new PackgateError('INPUT_INVALID', `there is no lane "${lane}" in governance`, {
      hint: suggest(lane, Object.keys(governance.lanes), 'lanes'),
    });
  if (lane !== check.lane)
    throw new PackgateError(
      'MANUAL_REFUSED',
      `lane ${lane} may not record manual check ${pack.id}/${check.id}: its lane is ${check.lane}`,
      { hint: `ask someone of lane ${check.lane} to record it` },
    );
  return lane;
}
