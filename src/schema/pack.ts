import { z } from 'zod';
import {
  artifactSchema,
  environmentKindSchema,
  filledList,
  filledText,
  idSchema,
  keySchema,
  layerSchema,
  type Layer,
  pathRefSchema,
  policySchema,
  schemaVersionSchema,
  specFileSchema,
  stageSchema,
} from './common.ts';
import { manualCheckSchema } from './manual-check.ts';
import { actionOf, refusalCallers, refusalSchema } from './refusal.ts';
import { unitSourceSchema } from './unit.ts';

/** `layers:`: see the field's description in packSchema. */
export const layersSchema = z.union([
  filledList(layerSchema, 'list the layers the pack runs at, e.g. [api, browser]'),
  z
    .partialRecord(layerSchema, z.union([specFileSchema, z.array(specFileSchema)]))
    .refine(map => Object.keys(map).length > 0, { error: 'name at least one layer, e.g. { api: api.spec.ts }' }),
]);

/** `layers:` as written: a list of layers, or a map from layer to the spec or specs it runs. */
export type LayersInput = z.input<typeof layersSchema>;

/**
 * A workflow pack: one product journey, who owns it, how it is proven and how much its failure matters.
 * Authored as `packs/<id>/pack.yaml`; its journeys live beside it as `*.spec.ts`, each run at the
 * layers `layers:` says.
 */
export const packSchema = z
  .strictObject({
    schema_version: schemaVersionSchema.optional(),
    id: idSchema,
    title: filledText('give the pack a short title, e.g. "Auth and session"'),
    /** The journey in a sentence or two: what a user does, end to end. */
    journey: filledText('say in a sentence or two what a user does, end to end'),
    /** The owning lane or team; failures are routed here. */
    owner: filledText('name the lane or team that owns this pack (its failures are routed there), e.g. "C-ops"'),
    /** What a passing run proves, in the words a release manager would use. */
    required_proof: filledText('say what a passing run proves, in the words a release manager would use'),
    /**
     * Where the pack runs and how much its failure matters: blocking or advisory per environment
     * stage. The pack runs in every environment of a listed stage (and of a listed kind, see
     * `kinds`); an environment can still exclude it. Packs name stages, never environments, so a
     * new deployment is one new environment file.
     * @example { dev: blocking, demo: blocking, staging: blocking, prod: blocking }
     */
    policy: z
      .partialRecord(stageSchema, policySchema)
      .refine(policy => Object.keys(policy).length > 0, { error: 'name at least one stage, e.g. { dev: blocking }' }),
    /** Kinds of environment the pack runs in. Default: every kind. @example [embedded, parity] */
    kinds: filledList(
      environmentKindSchema,
      'list the kinds of environment the pack runs in, e.g. [embedded, parity], or remove the field to run in every kind',
    ).optional(),
    /** The lowest layer that reliably catches this journey's regressions. Must be one of `layers`. */
    lowest_reliable_layer: layerSchema,
    /**
     * The layers the pack runs at, and the specs (beside this file) each runs. A list: each layer runs
     * its own `<layer>.spec.ts`. A map: the spec, or specs, each layer runs, so a journey written once
     * runs at every layer that names it.
     * @example [api, browser, remote]
     * @example { api: api.spec.ts, browser: browser.spec.ts, remote: browser.spec.ts }
     */
    layers: layersSchema,
    /** Seed sets the journeys need (names of files in seeds/). */
    seeds: z.array(idSchema).default([]),
    /** The seed user the journeys sign in as, when they sign in. */
    identity: idSchema.optional(),
    /**
     * Other seed users the journeys sign in as (`signInAs`, `apiAs`), e.g. to prove what a member may
     * not do. A run's sign-in setup signs in the identities and personas of the packs it runs, no more.
     * @example [grace]
     */
    personas: z.array(idSchema).default([]),
    /**
     * Seed record kinds the journeys read (`seed.records(kind)`); reading another kind is an error.
     * A `seed_strategy: verify` environment checks they exist before the pack's tests run.
     * @example [nodes]
     */
    records: z.array(idSchema).default([]),
    /** Evidence a failure of this pack must carry. */
    artifacts: z.array(artifactSchema).default([]),
    /** Packs whose failure makes this one's failure meaningless: reported as blocked-by-upstream. */
    depends_on: z.array(idSchema).default([]),
    /** Time budget of one test of this pack, in seconds. */
    time_budget_s: z.number().positive().max(600).default(30),
    /** Paths the journeys visit, by name, on the app's URL or another base; environments may override them. */
    paths: z.record(keySchema, pathRefSchema).default({}),
    /** Selectors the journeys use, by name; environments may override them. */
    selectors: z.record(keySchema, filledText("write the selector, e.g. '[data-testid=shell]'")).default({}),
    /**
     * What the pack's surface must refuse: another user's or organisation's resources, a state that forbids
     * the action, no session, the wrong role, a forged request. Each is proven by a test claiming its
     * id; think as an attacker and as a confused user would. At least three where the surface has them.
     */
    refusals: z.array(refusalSchema).default([]),
    /** Why the pack declares fewer than three refusals: what its surface has to refuse, and what not. */
    refusals_note: filledText('say why the pack declares fewer than three refusals, or remove the field').optional(),
    /**
     * Checks a person does and records (`packgate manual run|record`): the pack's `manual` layer.
     * Declared with `manual` among `layers`, and only then.
     */
    manual: z.array(manualCheckSchema).default([]),
    /**
     * The product suite's result the pack's `unit` layer judges: its JUnit XML report (or the command
     * that writes it) and the tests the pack requires. Declared with `unit` among `layers`, and only then.
     * @example { junit: reports/unit-junit.xml, require: ["auth/callback.test.ts › rejects a state mismatch"] }
     */
    unit: unitSourceSchema.optional(),
  })
  .superRefine((pack, ctx) => {
    const runs = layerRuns(pack.layers);
    const names = runs.map(r => r.layer);
    // No layer at all is said once, at `layers` (empty), not again here as "not among ()".
    if (names.length && !names.includes(pack.lowest_reliable_layer)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lowest_reliable_layer'],
        message: `"${pack.lowest_reliable_layer}" is not among the pack's layers (${names.join(', ')}); implement it or name a layer the pack has`,
      });
    }
    checkRefusals(pack, ctx);
    checkManual(pack, names, ctx);
    checkUnit(pack, runs, ctx);
    const seen = new Set<string>();
    for (const { layer, at, specs } of runs) {
      if (seen.has(layer))
        ctx.addIssue({ code: 'custom', path: ['layers', ...at], message: `layer "${layer}" is listed twice` });
      seen.add(layer);
      const files = new Set<string>();
      for (const spec of specs) {
        if (files.has(spec.file))
          ctx.addIssue({
            code: 'custom',
            path: ['layers', ...spec.at],
            message: `layer "${layer}" names ${spec.file} twice`,
          });
        files.add(spec.file);
      }
    }
  })
  // Parsed, `layers` is the list of layer names whatever its form, and `specs` the files each runs.
  // (A file that did not validate is read field by field, through this too: without its `layers`.)
  .transform(({ layers, ...pack }) => ({ ...pack, ...(layers === undefined ? NO_LAYERS : runsOfLayers(layers)) }));

/** What a pack.yaml whose `layers` did not validate is read with: no layer, so no spec is judged by them. */
const NO_LAYERS = {} as ReturnType<typeof runsOfLayers>;

export type Pack = z.output<typeof packSchema>;

/** A refusal's id is unique, its caller one the pack signs in as (or none), its action one of the pack's paths. */
function checkRefusals(
  pack: {
    identity?: string;
    personas: string[];
    paths: Record<string, unknown>;
    refusals: z.output<typeof refusalSchema>[];
  },
  ctx: z.RefinementCtx,
): void {
  const callers = [...(pack.identity ? [pack.identity] : []), ...pack.personas, ...refusalCallers];
  const ids = new Set<string>();
  pack.refusals.forEach((refusal, i) => {
    const at = (field: string) => ['refusals', i, field];
    if (ids.has(refusal.id))
      ctx.addIssue({ code: 'custom', path: at('id'), message: `refusal "${refusal.id}" is declared twice` });
    ids.add(refusal.id);
    if (!callers.includes(refusal.as))
      ctx.addIssue({
        code: 'custom',
        path: at('as'),
        message:
          `"${refusal.as}" is not a caller of this pack; name one of ${callers.join(', ')} ` +
          "(a seed user must be the pack's identity or one of its personas)",
        // What the schema file cannot say: the callers are this pack's. A near miss is a typo.
        params: {
          value: refusal.as,
          near: callers,
          hint: pack.identity
            ? `to ask as seed user "${refusal.as}", add it to the pack's personas: (personas: [${[...pack.personas, refusal.as].join(', ')}])`
            : `to ask as seed user "${refusal.as}", the pack signs in as it: identity: ${refusal.as}`,
        },
      });
    const { path } = actionOf(refusal);
    if (refusal.action.includes(' ') && !(path in pack.paths))
      ctx.addIssue({ code: 'custom', path: at('action'), ...undeclaredPath(path, pack) });
  });
}

/**
 * The `manual` layer is the pack's manual checks: the layer without checks, or checks without the
 * layer, is a layer declared that nothing runs (or checks nothing judges). A check's id is unique,
 * it starts at one of the pack's paths, and names only stages the pack runs at.
 */
function checkManual(
  pack: {
    paths: Record<string, unknown>;
    policy: Record<string, unknown>;
    manual: z.output<typeof manualCheckSchema>[];
  },
  layers: readonly Layer[],
  ctx: z.RefinementCtx,
): void {
  const declared = layers.includes('manual');
  if (declared && !pack.manual.length)
    ctx.addIssue({
      code: 'custom',
      path: ['layers'],
      message:
        'layer "manual" has no manual checks: declare them under manual: (id, title, start, steps, expected, lane, valid_for), or remove the layer',
    });
  if (!declared && pack.manual.length)
    ctx.addIssue({
      code: 'custom',
      path: ['manual'],
      message:
        'the pack declares manual checks but not the "manual" layer, so no gate would judge them: add manual to layers',
    });
  const ids = new Set<string>();
  pack.manual.forEach((check, i) => {
    if (ids.has(check.id))
      ctx.addIssue({
        code: 'custom',
        path: ['manual', i, 'id'],
        message: `manual check "${check.id}" is declared twice`,
      });
    ids.add(check.id);
    if (!(check.start in pack.paths))
      // As a refusal's action: a near miss is a typo, anything else a path to declare.
      ctx.addIssue({ code: 'custom', path: ['manual', i, 'start'], ...undeclaredPath(check.start, pack) });
    for (const stage of Object.keys(check.policy ?? {}))
      if (!(stage in pack.policy))
        ctx.addIssue({
          code: 'custom',
          path: ['manual', i, 'policy', stage],
          message: `the pack does not run at stage ${stage} (its policy names ${Object.keys(pack.policy).join(', ')})`,
        });
  });
}

/**
 * The `unit` layer is the product suite's report (`unit:`), not specs of the pack: the layer without
 * a source, or a source without the layer, is a layer declared that nothing runs (or a report
 * nothing judges). In the map form, `unit` names no spec.
 */
function checkUnit(pack: { unit?: unknown }, runs: ReturnType<typeof layerRuns>, ctx: z.RefinementCtx): void {
  const run = runs.find(r => r.layer === 'unit');
  if (run && !pack.unit)
    ctx.addIssue({
      code: 'custom',
      path: ['layers', ...run.at],
      message:
        'layer "unit" has no result source: declare unit: { junit: <report path or { env: VAR }>, ' +
        'require: [<test ids>] } (and command: to write it), or remove the layer',
    });
  if (!run && pack.unit)
    ctx.addIssue({
      code: 'custom',
      path: ['unit'],
      message:
        'the pack declares a unit source but not the "unit" layer, so no gate would judge it: add unit to layers',
    });
  if (run?.specs.length)
    ctx.addIssue({
      code: 'custom',
      path: ['layers', ...run.at],
      message: `layer "unit" runs no spec of the pack (it judges the product suite's report under unit:): write unit: [] or list it`,
    });
}

/**
 * Each layer of `layers:` with the spec files it runs and where each is written (its path under
 * `layers`, for locating problems): a listed layer runs `<layer>.spec.ts` (`manual` and `unit` run none).
 */
export function layerRuns(
  layers: LayersInput,
): Array<{ layer: Layer; at: PropertyKey[]; specs: Array<{ file: string; at: PropertyKey[] }> }> {
  if (Array.isArray(layers))
    return layers.map((layer, i) => ({
      layer,
      at: [i],
      specs: layer === 'manual' || layer === 'unit' ? [] : [{ file: `${layer}.spec.ts`, at: [i] }],
    }));
  return (Object.entries(layers) as Array<[Layer, string | string[]]>).map(([layer, specs]) => ({
    layer,
    at: [layer],
    specs:
      typeof specs === 'string' ? [{ file: specs, at: [layer] }] : specs.map((file, j) => ({ file, at: [layer, j] })),
  }));
}

/** The parsed form of `layers:`: the layer names, and the spec files (beside pack.yaml) each runs. */
export function runsOfLayers(layers: LayersInput): { layers: Layer[]; specs: Partial<Record<Layer, string[]>> } {
  const runs = layerRuns(layers);
  return {
    layers: runs.map(r => r.layer),
    specs: Object.fromEntries(runs.map(r => [r.layer, r.specs.map(s => s.file)])),
  };
}

export { sortLayers } from './constants.ts';

/**
 * The issue of a path name the pack does not declare: its message, and as its params (zod-diagnostics'
 * customHint) a near miss among the pack's paths as a typo, anything else a path to declare.
 */
function undeclaredPath(name: string, pack: { paths: Record<string, unknown> }) {
  const names = Object.keys(pack.paths);
  return {
    message: `"${name}" is not one of the pack's paths (${names.join(', ') || 'none'}); name it under paths: first`,
    params: {
      value: name,
      near: names,
      hint: `add it under paths: (${name}: /its/path, or { base: api, path: /v1/... }), then run \`npx packgate types\``,
    },
  };
}
