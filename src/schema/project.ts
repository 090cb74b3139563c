import { z } from 'zod';
import { idSchema, schemaVersionSchema } from './common.ts';

const relativePath = z
  .string()
  .min(1)
  .refine(p => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
    error: 'must be a path inside the project, relative to packgate.yaml',
  });

/**
 * The project manifest, `packgate.yaml` at the root: where the catalogue lives.
 * Its presence marks the root, as playwright.config.ts does for Playwright.
 */
export const projectSchema = z.strictObject({
  schema_version: schemaVersionSchema.optional(),
  name: idSchema,
  packs_dir: relativePath.default('packs'),
  environments_dir: relativePath.default('environments'),
  seeds_dir: relativePath.default('seeds'),
  /** Where the gate writes verdicts and evidence; PACKGATE_OUTPUT_DIR overrides it. */
  output_dir: relativePath.default('gate-results'),
  /** The embedded stack's fault catalogue: regressions a test run can switch on. */
  faults: relativePath.optional(),
});
export type ProjectManifest = z.output<typeof projectSchema>;

/** A regression the embedded stack can inject, and the pack that exists to catch it. */
export const faultSchema = z.strictObject({
  id: idSchema,
  pack: idSchema,
  description: z.string().min(1),
});
export type Fault = z.output<typeof faultSchema>;

export const faultCatalogueSchema = z
  .strictObject({
    schema_version: schemaVersionSchema.optional(),
    faults: z.array(faultSchema),
  })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.faults.forEach((fault, i) => {
      if (ids.has(fault.id))
        ctx.addIssue({ code: 'custom', path: ['faults', i, 'id'], message: `fault "${fault.id}" is listed twice` });
      ids.add(fault.id);
    });
  });
