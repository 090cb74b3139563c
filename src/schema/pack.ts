import { z } from 'zod';
import {
  artifactSchema,
  environmentKindSchema,
  idSchema,
  keySchema,
  layerSchema,
  pathRefSchema,
  policySchema,
  schemaVersionSchema,
  stageSchema,
} from './common.ts';

/**
 * A workflow pack: one product journey, who owns it, how it is proven and how much its failure matters.
 * Authored as `packs/<id>/pack.yaml`; its journeys live beside it as `<layer>.spec.ts`.
 */
export const packSchema = z
  .strictObject({
    schema_version: schemaVersionSchema.optional(),
    id: idSchema,
    title: z.string().min(1),
    /** The journey in a sentence or two: what a user does, end to end. */
    journey: z.string().min(1),
    /** The owning lane or team; failures are routed here. */
    owner: z.string().min(1),
    /** What a passing run proves, in the words a release manager would use. */
    required_proof: z.string().min(1),
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
    kinds: z.array(environmentKindSchema).min(1).optional(),
    /** The lowest layer that reliably catches this journey's regressions. Must be one of `layers`. */
    lowest_reliable_layer: layerSchema,
    /** Layers implemented, each as `<layer>.spec.ts` beside this file. */
    layers: z.array(layerSchema).min(1),
    /** Seed sets the journeys need (names of files in seeds/). */
    seeds: z.array(idSchema).default([]),
    /** The seed user the journeys sign in as, when they sign in. */
    identity: idSchema.optional(),
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
    selectors: z.record(keySchema, z.string().min(1)).default({}),
  })
  .superRefine((pack, ctx) => {
    if (!pack.layers.includes(pack.lowest_reliable_layer)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lowest_reliable_layer'],
        message: `"${pack.lowest_reliable_layer}" is not among the pack's layers (${pack.layers.join(', ')}); implement it or name a layer the pack has`,
      });
    }
    const seen = new Set<string>();
    pack.layers.forEach((layer, i) => {
      if (seen.has(layer))
        ctx.addIssue({ code: 'custom', path: ['layers', i], message: `layer "${layer}" is listed twice` });
      seen.add(layer);
    });
  });

export type Pack = z.output<typeof packSchema>;

export { sortLayers } from './constants.ts';
