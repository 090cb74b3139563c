import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { at } from '../diagnostics/yaml-source.ts';
import type { Environment } from '../schema/environment.ts';
import { layerRuns, layersSchema, type Pack } from '../schema/pack.ts';
import type { CheckView } from './load.ts';

/**
 * A layer a pack declares must run somewhere or be refused, never silently skipped: each layer of
 * the pack that no environment running the pack runs (its `layers:`) is an error naming the pack,
 * the layer and those environments. A pack no environment runs is left to the other checks.
 */
export function checkUnrunLayers(view: CheckView): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [id, { value: pack, source }] of view.packs) {
    const written = layersSchema.safeParse((source.value() as { layers?: unknown } | undefined)?.layers);
    if (!written.success) continue; // the schema's problem, reported as such
    const running = [...view.environments].filter(([, { value: env }]) => runsPack(env, id, pack));
    if (!running.length) continue;
    const shown = running.map(([name, { value: env }]) => `${name}: ${(env.layers ?? []).join(', ') || 'none'}`);
    for (const { layer, at: where } of layerRuns(written.data))
      if (!running.some(([, { value: env }]) => env.layers?.includes(layer)))
        out.push(
          at(
            source,
            ['layers', ...where],
            'unrun-layer',
            `pack ${id} declares layer "${layer}", which no environment that runs the pack runs (${shown.join('; ')})`,
            `add ${layer} to the layers of an environment that runs ${id}, or remove it from the pack`,
          ),
        );
  }
  out.push(...checkIdleLayers(view));
  return out;
}

/**
 * The other way round, a warning: a layer an environment lists that no pack it runs declares gets no
 * project, so `--project=<env>-<layer>` is "not found" with nothing said of why; so does every layer
 * of an environment that runs no pack at all.
 */
function checkIdleLayers(view: CheckView): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, { value: env, source }] of view.environments) {
    const packs = [...view.packs].filter(([id, { value: pack }]) => runsPack(env, id, pack));
    // Its projects would be "not found", with nothing said of why: lint says it.
    const excluded = packs.length ? 0 : byStage(env, view).length;
    if (!packs.length && view.packs.size && env.stage)
      out.push(
        at(
          source,
          ['stage'],
          'idle-environment',
          `environment ${name} runs no pack: ` +
            (excluded
              ? `packs.exclude leaves none of the ${excluded} its stage "${env.stage}" runs`
              : `no pack's policy names stage "${env.stage}"${env.kind ? ` for kind ${env.kind}` : ''}`) +
            ', and packs.include adds none',
          `name stage ${env.stage} in a pack's policy, add one under packs.include, or remove ${source.file}`,
          { severity: 'warning' },
        ),
      );
    // A pack whose layers do not validate is the schema's problem: nothing to tell from it here.
    if (!packs.length || packs.some(([, { value: pack }]) => !Array.isArray(pack.layers))) continue;
    (env.layers ?? []).forEach((layer, i) => {
      if (!packs.some(([, { value: pack }]) => pack.layers!.includes(layer)))
        out.push(
          at(
            source,
            ['layers', i],
            'idle-layer',
            `environment ${name} runs layer "${layer}", which no pack it runs declares: there is no ${name}-${layer} project to select`,
            `declare ${layer} in a pack's layers (and its source, for unit: see README.md), or remove it from this environment`,
            { severity: 'warning' },
          ),
        );
    });
  }
  return out;
}

/** The packs the environment's stage (and kind) would run, before its packs.exclude and packs.include. */
function byStage(env: Partial<Environment>, view: CheckView): string[] {
  return [...view.packs]
    .filter(([id, { value: pack }]) => runsPack({ ...env, packs: undefined }, id, pack))
    .map(([id]) => id);
}

/** Whether the environment runs the pack, as far as their (possibly partial) values say. */
function runsPack(env: Partial<Environment>, id: string, pack: Partial<Pack>): boolean {
  if (env.packs?.exclude.some(e => e.pack === id)) return false;
  if (env.packs?.include.some(i => i.pack === id)) return true;
  const stage = env.stage && pack.policy?.[env.stage];
  return stage !== undefined && (!pack.kinds || (env.kind !== undefined && pack.kinds.includes(env.kind)));
}
