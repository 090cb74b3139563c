import type { z } from 'zod';

/** `T` with the keys `names` maps renamed, the others kept as they are (optional ones stay optional). */
export type Renamed<T, N> = {
  [K in keyof T as K extends keyof N ? (N[K] extends string ? N[K] : K) : K]: T[K];
};

/**
 * An object schema whose parsed value names its fields the way code does: the file keeps its
 * snake_case fields, and so do the JSON Schema exported for it (the schema's input) and every
 * problem found in it (validation runs before the rename, on the file's paths). The rename only
 * moves values, so it also applies to the valid part of a file that failed (see lenientParse).
 * A default for a field holding a renamed schema is a `prefault`, written as the file writes it:
 * zod leaves a transformed schema's `default` out of the exported JSON Schema, not a prefault.
 * @example renamed(z.strictObject({ auth_issuer: z.string() }), { auth_issuer: 'authIssuer' })
 */
export function renamed<S extends z.ZodType<object>, const N extends { [K in keyof z.output<S>]?: string }>(
  schema: S,
  names: N & Record<Exclude<keyof N, keyof z.output<S>>, never>,
) {
  const byFileName: Readonly<Record<string, string | undefined>> = names;
  return schema.transform(
    value =>
      Object.fromEntries(Object.entries(value).map(([key, v]) => [byFileName[key] ?? key, v])) as Renamed<
        z.output<S>,
        N
      >,
  );
}

/** The file's name of a field that `names` may have renamed: where a problem with it is reported. */
export function fileName(names: Readonly<Record<string, string>>, key: string): string {
  return Object.keys(names).find(name => names[name] === key) ?? key;
}
