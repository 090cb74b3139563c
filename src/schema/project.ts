import { z } from 'zod';
import { filledList, filledText, idSchema, schemaVersionSchema } from './common.ts';

/** Empty is said as empty (not zod's "Too small: expected string to have >=1 characters"), and only so. */
const relativePath = filledText('name a folder inside the project, relative to packgate.yaml').refine(
  p => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'),
  { error: 'must be a path inside the project, relative to packgate.yaml' },
);

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
  /**
   * Where the gate writes verdicts and evidence, a folder of its own: packgate replaces it on every
   * run (and refuses one holding files it did not write). PACKGATE_OUTPUT_DIR overrides it.
   */
  output_dir: relativePath
    .refine(p => !p || !['', '.'].includes(p.replace(/[\\/]+$/, '').replace(/^(\.[\\/])+/, '') || '.'), {
      error:
        'must be a folder of its own inside the project, not the project itself (packgate replaces it on every run)',
    })
    .default('gate-results'),
  /**
   * Reports for people and CI systems, written beside the verdict from attachments the gate has
   * already redacted (their reporters run after it, and its last sweep covers their files).
   */
  reports: z
    .strictObject({
      /** JUnit XML at `<output_dir>/junit.xml`, for CI systems that read it. Default true. */
      junit: z.boolean().default(true),
      /**
       * Allure results at `<output_dir>/allure-results`, labelled from the packs (epic and feature =
       * the pack, owner, severity from its policy, layer and environment tags, TASK_ID when set);
       * `npx packgate report allure` builds the Allure 3 report from them. Default false.
       */
      allure: z.boolean().default(false),
    })
    .prefault({}),
  /** The embedded stack's fault catalogue: regressions a test run can switch on. */
  faults: relativePath.optional(),
  /** Lanes, packet defaults and worktree layout (`governance.yaml`); read by packets and tasks. */
  governance: relativePath.optional(),
  /** The queue store: tasks, their packets, transitions, sessions and gate runs with evidence. */
  store: z
    .strictObject({
      /**
       * The embedded SQLite store, relative to the root; evidence files go beside it. Default `.packgate/queue.db`.
       * Linked worktrees made by `packgate task start` use the store of the checkout that made them.
       */
      path: relativePath.default('.packgate/queue.db'),
      /**
       * The env var holding a PostgreSQL connection URL; when it is set, the store is that database
       * (teams whose CI runners and agents share one store). Default `PACKGATE_STORE_URL`.
       */
      url_env: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]*$/, { error: 'must be an environment variable name, e.g. "PACKGATE_STORE_URL"' })
        .default('PACKGATE_STORE_URL'),
      /** A hold whose session sent no heartbeat for this long is stale and may be released. Default 1800. */
      stale_after_s: z.number().int().positive().default(1800),
      /**
       * How long a command waits for a SQLite store another process holds locked, or for a lock another
       * session keeps in a PostgreSQL store, before it gives up saying so, in seconds. Default 30.
       */
      wait_s: z.number().int().positive().max(3600).default(30),
    })
    .optional(),
});
export type ProjectManifest = z.output<typeof projectSchema>;

/** A regression the embedded stack can inject, and the pack that exists to catch it. */
export const faultSchema = z.strictObject({
  id: idSchema,
  pack: idSchema,
  description: z.string().min(1),
  /**
   * The kinds of stack that can have it, where not every kind: `[parity]` for a mistake only a stack
   * in deployment shape can make (TLS, host routing, injected configuration).
   */
  kinds: filledList(
    z.enum(['embedded', 'parity']),
    'list the kinds of stack that can have it, e.g. [parity], or remove the field for every kind',
  ).optional(),
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
