import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { catalogueInvalid, MANIFEST_FILE } from '../catalogue/load.ts';
import { YamlSource } from '../diagnostics/yaml-source.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { projectSchema, type ProjectManifest } from '../schema/project.ts';
import { FileBlobStore, SqlBlobStore } from './blobs.ts';
import { DEFAULT_STORE_PATH, DEFAULT_STORE_URL_ENV, DEFAULT_STORE_WAIT_MS, WORKTREE_POINTER } from './configured.ts';
import { LATEST_SCHEMA_VERSION, migrate, type Migration, MIGRATIONS } from './migrations.ts';
import type { QueueStore, StoreOptions } from './queue-store.ts';
import { SqlQueueStore } from './sql-queue-store.ts';
import { openSqliteDatabase } from './sqlite-database.ts';

export type StoreLocation =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; display: string; urlEnv: string };

export const worktreePointerSchema = z.object({
  schemaVersion: z.literal(1),
  taskId: z.string(),
  session: z.string(),
  branch: z.string().nullable(),
  base: z.string().nullable(),
  /** The store of the checkout that made the worktree: its SQLite file, or the env var of the shared URL. */
  store: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('sqlite'), path: z.string() }),
    z.object({ kind: z.literal('postgres'), urlEnv: z.string() }),
  ]),
});
export type WorktreePointer = z.infer<typeof worktreePointerSchema>;

type Env = Record<string, string | undefined>;

/**
 * Where the store is: a PostgreSQL URL in the configured env var wins; then, inside a task
 * worktree, the store of the checkout that made it; else the SQLite file of packgate.yaml.
 */
export function resolveStoreLocation(root: string, manifest: ProjectManifest, env: Env = process.env): StoreLocation {
  const urlEnv = manifest.store?.url_env ?? DEFAULT_STORE_URL_ENV;
  const url = env[urlEnv];
  if (url) {
    const setting =
      urlEnv === DEFAULT_STORE_URL_ENV
        ? `the env var ${urlEnv}`
        : `the env var ${urlEnv} (named by store.url_env in ${MANIFEST_FILE})`;
    return { ...postgresUrl(url, setting), urlEnv };
  }
  const pointer = readWorktreePointer(root);
  if (pointer?.store.kind === 'sqlite') return { kind: 'sqlite', path: pointer.store.path };
  if (pointer?.store.kind === 'postgres')
    throw new PackgateError(
      'STORE_UNAVAILABLE',
      `this worktree's task uses the shared store in ${pointer.store.urlEnv}, which is not set`,
      { hint: `set ${pointer.store.urlEnv} to the PostgreSQL URL the task was started with` },
    );
  return { kind: 'sqlite', path: path.resolve(root, manifest.store?.path ?? DEFAULT_STORE_PATH) };
}

export function describeLocation(location: StoreLocation): string {
  return location.kind === 'sqlite' ? location.path : location.display;
}

/** Opens (creating if need be) and migrates a store. */
export async function openStore(
  location: StoreLocation,
  options: StoreOptions & { migrations?: readonly Migration[] } = {},
): Promise<QueueStore> {
  // pg is loaded only for a PostgreSQL store: the embedded default never pays for it.
  const db =
    location.kind === 'sqlite'
      ? await openSqliteDatabase(location.path, { waitMs: options.waitMs })
      : await (
          await import('./postgres-database.ts')
        ).openPostgresDatabase(location.url, location.display, { waitMs: options.waitMs });
  const display = describeLocation(location);
  try {
    const migrations = options.migrations ?? MIGRATIONS;
    const { to } = await migrate(db, display, migrations);
    const blobs =
      location.kind === 'sqlite'
        ? new FileBlobStore(path.join(path.dirname(location.path), 'evidence'))
        : new SqlBlobStore(db);
    return new SqlQueueStore(db, blobs, display, to, options);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/**
 * The store of the project at `root`, as packgate.yaml and the environment say; `manifest` is
 * packgate.yaml as the caller validated it (a gate run's catalogue), else read here.
 */
export async function openProjectStore(
  root: string,
  env: Env = process.env,
  { manifest = loadManifest(root), ...options }: StoreOptions & { manifest?: ProjectManifest } = {},
): Promise<QueueStore> {
  return openStore(resolveStoreLocation(root, manifest, env), { ...storeOptionsOf(manifest), ...options });
}

/** What packgate.yaml's `store:` says of how the store behaves (its defaults where there is no `store:`). */
export function storeOptionsOf(manifest: ProjectManifest): Required<Pick<StoreOptions, 'staleAfterMs' | 'waitMs'>> {
  return {
    staleAfterMs: (manifest.store?.stale_after_s ?? 1800) * 1000,
    waitMs: (manifest.store?.wait_s ?? DEFAULT_STORE_WAIT_MS / 1000) * 1000,
  };
}

/** packgate.yaml alone, validated: the store needs no more of the catalogue. */
export function loadManifest(root: string): ProjectManifest {
  const source = new YamlSource(MANIFEST_FILE, fs.readFileSync(path.join(root, MANIFEST_FILE), 'utf8'));
  const syntax = source.syntaxDiagnostics().filter(d => d.severity === 'error');
  if (syntax.length) throw catalogueInvalid(syntax);
  const { value, diagnostics } = validateSource(source, projectSchema, 'schemas/project.schema.json');
  if (!value) throw catalogueInvalid(diagnostics);
  return value;
}

export function readWorktreePointer(root: string): WorktreePointer | undefined {
  const file = path.join(root, WORKTREE_POINTER);
  if (!fs.existsSync(file)) return undefined;
  const parsed = worktreePointerSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new PackgateError(
      'STORE_UNAVAILABLE',
      `${WORKTREE_POINTER} is not a packgate task pointer: ${parsed.error.issues[0]?.message}`,
      { hint: 'it is written by `packgate task start`; remove it if this folder is not a task worktree' },
    );
  return parsed.data;
}

/** What a store URL may be, for messages: PostgreSQL, over TCP or a socket folder. */
export const STORE_URL_FORMS =
  'postgresql://user:password@host:5432/database (or postgres://...), or postgresql://user@/database?host=/run/postgresql';

/**
 * A PostgreSQL URL, or INPUT_INVALID naming the `setting` it came from: the store speaks SQLite
 * (a file) and PostgreSQL, and pg would take any other scheme's URL for a PostgreSQL one.
 */
export function postgresUrl(url: string, setting: string): { kind: 'postgres'; url: string; display: string } {
  const display = displayUrl(url);
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    throw new PackgateError(
      'INPUT_INVALID',
      `${setting} is ${scheme ? `${/^[aeiou]/i.test(scheme) ? 'an' : 'a'} ${scheme}: URL` : 'no URL'} (${display}): the queue store is PostgreSQL or a SQLite file`,
      { hint: `give a PostgreSQL URL: ${STORE_URL_FORMS}; a SQLite store is a file (store.path in ${MANIFEST_FILE})` },
    );
  }
  return { kind: 'postgres', url, display };
}

/**
 * The URL with its password masked, for messages and output: `postgresql://agent:***@host/db`.
 * Done on the text, since socket URLs (`postgresql://agent:pw@/db?host=/run/pg`) have no host to parse.
 * The password runs from the first `:` after `://` to the last `@`: one pasted unencoded (`pa/ss`,
 * `p@ss`, `p#ss`) is masked whole too, though it makes the URL invalid, since the message that says
 * so is printed and written to verdicts (an `@` in the query of a URL with a port masks more than
 * the password: shown less, never a secret shown). Without `://` (`postgresql:/agent:pw@db`, a URL
 * typed without its scheme) all from the first `:` to the last `@` is masked. A `password=` or
 * `sslpassword=` is masked in a query, and in libpq's keyword form (`host=db password='pw' dbname=q`),
 * which the refusal of that form shows.
 */
export function displayUrl(url: string): string {
  const start = url.indexOf('://');
  const from = start >= 0 ? start + 3 : 0;
  const at = url.lastIndexOf('@');
  let shown = url;
  if (at > from) {
    const colon = url.indexOf(':', from);
    if (colon >= 0 && colon < at) shown = `${url.slice(0, colon + 1)}***${url.slice(at)}`;
  }
  return shown.replace(/((?:^|[?&\s])[a-z_]*password\s*=\s*)('(?:\\.|[^'\\])*'?|[^&#\s]*)/gi, '$1***');
}

export { LATEST_SCHEMA_VERSION };
