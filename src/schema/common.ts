import { z } from 'zod';

/** Identifiers of packs, seeds, users, environments: kebab-case, as in file and project names. */
export const idSchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
  error: 'must be kebab-case (lower-case letters, digits and single dashes), e.g. "auth-session"',
});

/** Names of environment variables: the only way a catalogue file may point at a secret or a deployed URL. */
export const envVarNameSchema = z.string().regex(/^[A-Z][A-Z0-9_]*$/, {
  error: 'must be an environment variable name in UPPER_SNAKE_CASE, e.g. "PACKGATE_DEMO_APP_URL"',
});

/**
 * A value written in the file, or read from an environment variable with an optional fallback.
 * @example client_id: web-app
 * @example app: { env: PACKGATE_DEMO_APP_URL, default: "https://demo.example.com" }
 */
export const envValueSchema = z.union([
  z.string().min(1),
  z.strictObject({
    env: envVarNameSchema,
    default: z.string().min(1).optional(),
  }),
]);
export type EnvValue = z.infer<typeof envValueSchema>;

/** Layers, lowest first: the order is the order of `lowest_reliable_layer` comparisons. */
export const layers = ['unit', 'api', 'browser', 'parity', 'remote', 'manual'] as const;
export const layerSchema = z.enum(layers);
export type Layer = z.infer<typeof layerSchema>;

/** Layers whose tests drive a browser. */
export const browserLayers: ReadonlySet<Layer> = new Set(['browser', 'parity', 'remote']);

export const stages = ['dev', 'demo', 'staging', 'prod'] as const;
export const stageSchema = z.enum(stages);
export type Stage = z.infer<typeof stageSchema>;

/** Stages that release: every pack they target is required, and nothing may be skipped silently. */
export const releaseStages: ReadonlySet<Stage> = new Set(['demo', 'staging', 'prod']);

export const policySchema = z.enum(['blocking', 'advisory']);
export type Policy = z.infer<typeof policySchema>;

export const artifactSchema = z.enum([
  'trace',
  'screenshot',
  'video',
  'har',
  'console-log',
  'server-log',
  'correlation-id',
]);
export type Artifact = z.infer<typeof artifactSchema>;

/** Every stored or authored file carries this; 1 is the only version so far. */
export const schemaVersionSchema = z.literal(1, {
  error: 'schema_version must be 1 (the only version this packgate reads)',
});

/** A key of a `paths:` or `selectors:` map, e.g. `shell`, `user-identity`. */
export const keySchema = idSchema;
