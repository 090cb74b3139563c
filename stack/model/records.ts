import { z } from 'zod';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { at, type YamlSource } from '../../src/diagnostics/yaml-source.ts';

/**
 * The record kinds of a seed set that the reference stack loads (`records:` in seeds/<id>.yaml).
 * The core treats records as opaque; their shapes are the stack's, so they are checked here, with
 * every problem located in its seed file.
 */

const id = z.string().min(1);
const gpus = z.number().int().min(0).max(1024);

export const tenantRecord = z.strictObject({ id, name: z.string().min(1) });
export const projectRecord = z.strictObject({
  id,
  tenant: id,
  name: z.string().min(1),
  /** GPUs the project may use; a workload needing more fails. */
  gpus: gpus.default(4),
});
export const membershipRecord = z.strictObject({ id, user: id, tenant: id });
export const appRecord = z.strictObject({ id, name: z.string().min(1), gpus });
export const allocationRecord = z.strictObject({
  id,
  user: id,
  project: id,
  node: id,
  state: z.enum(['active', 'ended']),
  gpus: gpus.default(1),
});
export const notebookRecord = z.strictObject({ id, name: z.string().min(1), user: id, project: id, allocation: id });
export const nodeTaskRecord = z.strictObject({
  id,
  kind: z.string().min(1),
  status: z.enum(['pending', 'running', 'passed', 'failed']),
  evidence: z.string().default(''),
});
export const nodeRecord = z.strictObject({
  id,
  ready: z.boolean(),
  gpus,
  blockers: z.array(z.string().min(1)).default([]),
  tasks: z.array(nodeTaskRecord).default([]),
});

const KINDS = {
  tenants: tenantRecord,
  projects: projectRecord,
  memberships: membershipRecord,
  apps: appRecord,
  allocations: allocationRecord,
  notebooks: notebookRecord,
  nodes: nodeRecord,
} as const;

type Kind = keyof typeof KINDS;

export type Tenant = z.output<typeof tenantRecord>;
export type Project = z.output<typeof projectRecord>;
export type Membership = z.output<typeof membershipRecord>;
export type App = z.output<typeof appRecord>;
export type Allocation = z.output<typeof allocationRecord>;
export type Notebook = z.output<typeof notebookRecord>;
export type NodeTask = z.output<typeof nodeTaskRecord>;
export type GpuNode = z.output<typeof nodeRecord>;

/** Every record the stack serves, in seed order. */
export type PlatformSeed = { [K in Kind]: Array<z.output<(typeof KINDS)[K]>> };

/** One seed set's records as the catalogue loaded them, with the file to locate problems in. */
export type SeedRecords = { records: Record<string, Array<Record<string, unknown>>>; source: YamlSource };

/**
 * Validates the records of the environment's seed sets (in the environment's order) and the
 * references between them. Returns every problem, not just the first.
 */
export function parsePlatformSeed(
  seeds: readonly SeedRecords[],
  userIds: ReadonlySet<string>,
): { seed: PlatformSeed; diagnostics: Diagnostic[] } {
  const seed: PlatformSeed = {
    tenants: [],
    projects: [],
    memberships: [],
    apps: [],
    allocations: [],
    notebooks: [],
    nodes: [],
  };
  const diagnostics: Diagnostic[] = [];
  // Where each record came from, to locate reference problems found after parsing.
  const origins = new Map<object, { source: YamlSource; path: PropertyKey[] }>();

  for (const { records, source } of seeds) {
    for (const [kind, list] of Object.entries(records)) {
      if (!(kind in KINDS)) {
        diagnostics.push(
          at(
            source,
            ['records', kind],
            'unknown-record-kind',
            `the reference stack has no record kind "${kind}"`,
            `known kinds: ${Object.keys(KINDS).join(', ')}`,
            { key: true },
          ),
        );
        continue;
      }
      list.forEach((raw, index) => {
        const parsed = KINDS[kind as Kind].safeParse(raw);
        const path: PropertyKey[] = ['records', kind, index];
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            diagnostics.push(at(source, [...path, ...issue.path], 'seed-record', issue.message));
          return;
        }
        const all = seed[kind as Kind] as Array<{ id: string }>;
        if (all.some(r => r.id === parsed.data.id)) {
          diagnostics.push(
            at(source, [...path, 'id'], 'duplicate-record', `${kind} "${parsed.data.id}" is listed twice`),
          );
          return;
        }
        all.push(parsed.data);
        origins.set(parsed.data, { source, path });
      });
    }
  }

  const ids = (list: Array<{ id: string }>) => new Set(list.map(r => r.id));
  const known = {
    user: userIds,
    tenant: ids(seed.tenants),
    project: ids(seed.projects),
    node: ids(seed.nodes),
    allocation: ids(seed.allocations),
  };
  const check = (record: object, field: keyof typeof known, value: string) => {
    if (known[field].has(value)) return;
    const origin = origins.get(record)!;
    diagnostics.push(
      at(
        origin.source,
        [...origin.path, field],
        'unknown-reference',
        `${field} "${value}" does not exist`,
        `known: ${[...known[field]].join(', ') || '(none)'}`,
      ),
    );
  };
  const references: Array<[Array<Record<string, unknown>>, Array<keyof typeof known>]> = [
    [seed.projects, ['tenant']],
    [seed.memberships, ['user', 'tenant']],
    [seed.allocations, ['user', 'project', 'node']],
    [seed.notebooks, ['user', 'project', 'allocation']],
  ];
  for (const [list, fields] of references)
    for (const record of list) for (const field of fields) check(record, field, String(record[field]));
  return { seed, diagnostics };
}
