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
  // Each persona is a user of its own: a second by the same id, or signing in as the same account,
  // would make every check that one may not do what the other may prove nothing.
  const ids = new Map<string, number>();
  const accounts = new Map<string, number>();
  seed.users.forEach((user, i) => {
    const sameId = ids.get(user.id);
    if (sameId !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['users', i, 'id'],
        message: `user "${user.id}" is listed twice (users[${sameId}] is the first)`,
        params: { hint: 'give each user an id of its own, or remove this one' },
      });
    else ids.set(user.id, i);
    const sameAccount = accounts.get(user.username);
    if (sameAccount !== undefined && sameId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['users', i, 'username'],
        message: `users "${seed.users[sameAccount].id}" and "${user.id}" both have user name "${user.username}": they would sign in as one account`,
        params: {
          hint: 'give each user its own user name (an environment maps them to its accounts under identities:)',
        },
      });
    else accounts.set(user.username, i);
  });
});
export type SeedSet = z.output<typeof seedSetSchema>;
