import { z } from 'zod';
import { idSchema, schemaVersionSchema } from './common.ts';
import { renamed } from './renamed.ts';

export const seedUserSchema = renamed(
  z.strictObject({
    id: idSchema,
    username: z.string().min(1),
    name: z.string().min(1),
    email: z.email(),
    /** Name of the secret (in the environment's `secrets:`) holding this user's password. */
    password_secret: idSchema,
    roles: z.array(z.string().min(1)).default([]),
  }),
  { password_secret: 'passwordSecret' },
);
export type SeedUser = z.output<typeof seedUserSchema>;

/** A record the journeys need; its kind (the key it is listed under) means something only to the stack. */
const seedRecordSchema = z.looseObject({ id: z.string().min(1) });

/**
 * Seed data a set of packs needs. Users are known to packgate (journeys sign in as them);
 * every other record kind is opaque here and interpreted by the stack or the deployment.
 * Authored as `seeds/<id>.yaml`; parsed into camelCase fields like an environment.
 */
export const seedSetSchema = renamed(
  z.strictObject({
    schema_version: schemaVersionSchema.optional(),
    id: idSchema,
    description: z.string().optional(),
    users: z.array(seedUserSchema).prefault([]),
    records: z.record(idSchema, z.array(seedRecordSchema)).default({}),
  }),
  { schema_version: 'schemaVersion' },
).superRefine((seed, ctx) => {
  const ids = new Set<string>();
  seed.users.forEach((user, i) => {
    if (ids.has(user.id))
      ctx.addIssue({ code: 'custom', path: ['users', i, 'id'], message: `user "${user.id}" is listed twice` });
    ids.add(user.id);
  });
});
export type SeedSet = z.output<typeof seedSetSchema>;
