import { z } from 'zod';
import { artifacts, environmentKinds, layers, policies, SPEC_FILE, stages, urlBases } from './constants.ts';
import { strayBrace } from './placeholder.ts';

/** Identifiers of packs, seeds, users, environments: kebab-case, as in file and project names. */
export const idSchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
  error: 'must be kebab-case (lower-case letters, digits and single dashes), e.g. "auth-session"',
});

/**
 * Text a file must fill in. Blank, or only spaces, is refused as `"owner" is empty: <what>`: what to
 * write there, where zod said "Too small: expected string to have >=1 characters". One schema for
 * every such field, each with its own `what`.
 * @example filledText('name the lane or team that owns this pack, e.g. "C-ops"')
 */
export function filledText(what: string) {
  return z.string().trim().min(1, emptyError(what));
}

/**
 * A list a file must fill in, as filledText a text: `[]` is refused as `"steps" is empty: <what>`,
 * what to list there, where zod said "Too small: expected array to have >=1 items". Its JSON schema
 * keeps `minItems: 1`, so editors flag it too.
 * @example filledList(idSchema, 'list the layers this environment runs, e.g. [api, browser]')
 */
export function filledList<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).min(1, emptyError(what));
}

/** The error of an empty text or list: which one, then what to put there. */
function emptyError(what: string) {
  return { error: (issue: { path?: PropertyKey[] }) => `${emptyOne(issue.path ?? [])} is empty: ${what}` };
}

/** The field, or the list item, a path ends at: `"owner"`, `item 2 of "steps"`. */
function emptyOne(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  if (typeof last === 'number') return `item ${last + 1} of "${String(path[path.length - 2])}"`;
  return last === undefined ? 'it' : `"${String(last)}"`;
}

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

export { browserLayers, layers, releaseStages, stages } from './constants.ts';

export const layerSchema = z.enum(layers);

/** A spec file beside pack.yaml, as `layers:` and tests.yaml name it: `browser.spec.ts`, `idp-contract.spec.ts`. */
export const specFileSchema = z.string().regex(SPEC_FILE, {
  error: 'must be a spec file beside pack.yaml, in kebab-case, e.g. "browser.spec.ts"',
});
export type Layer = z.infer<typeof layerSchema>;

export const stageSchema = z.enum(stages);
export type Stage = z.infer<typeof stageSchema>;

export const environmentKindSchema = z.enum(environmentKinds);
export type EnvironmentKind = z.infer<typeof environmentKindSchema>;

export const policySchema = z.enum(policies);
export type Policy = z.infer<typeof policySchema>;

export const artifactSchema = z.enum(artifacts);
export type Artifact = z.infer<typeof artifactSchema>;

/** A path on one of the environment's URLs; its `{name}` placeholders are filled by the specs, and no other brace is. */
export const absolutePathSchema = z
  .string()
  .startsWith('/', { error: 'must be an absolute path starting with "/"' })
  .superRefine((path, ctx) => {
    const stray = strayBrace(path);
    if (stray)
      ctx.addIssue({
        code: 'custom',
        message:
          `"${stray}" is no placeholder: a placeholder is {name} (a letter, then letters, digits, - or _), ` +
          'and any other brace would reach the URL unfilled',
        params: { hint: 'write each placeholder as {name}, e.g. /items/{id}' },
      });
  });

/**
 * A path the journeys visit, by default on the app's URL; `{ base, path }` puts it on another of the
 * environment's URLs (`api`, `proxy`, `auth`: the issuer, `idp`: the issuer's origin).
 * @example /shell
 * @example { base: api, path: /v1/me }
 */
export const pathRefSchema = z.union([
  absolutePathSchema,
  z.strictObject({ base: z.enum(urlBases), path: absolutePathSchema }),
]);
export type PathRef = z.infer<typeof pathRefSchema>;

/** Every stored or authored file carries this; 1 is the only version so far. */
export const schemaVersionSchema = z.literal(1, {
  error: 'schema_version must be 1 (the only version this packgate reads)',
});

/** A key of a `paths:` or `selectors:` map, e.g. `shell`, `user-identity`. */
export const keySchema = idSchema;
