import { z } from 'zod';
import type { Catalogue, Located } from '../catalogue/load.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { nearest, suggest } from '../diagnostics/nearest.ts';
import { at, NestedSource, type YamlSource } from '../diagnostics/yaml-source.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { displayPath, readNamedFile } from '../fs/named-file.ts';
import type { Governance } from '../governance/governance-schema.ts';
import { laneIdSchema } from '../governance/governance-schema.ts';
import { packetDigest } from '../packet/attach-packet.ts';
import { checkPacket } from '../packet/check-packet.ts';
import { packetSource } from '../packet/packet-source.ts';
import { contextPacketSchema, taskIdSchema, type ContextPacket } from '../packet/packet-schema.ts';
import { taskEventKindSchema, taskKindSchema, taskStateSchema } from '../store/queue-schema.ts';
import type { ImportedTask } from '../store/task-import-repository.ts';
import { shortestPath } from '../store/task-graph.ts';
import { backlogText } from './backlog-text.ts';
import { stronglyConnected } from './graph-components.ts';

const text = z.string().trim().min(1, { error: 'is empty' });
const when = z.iso.datetime({ offset: true }).or(z.iso.date());

/** An entry's fields but its packet, which `packet check` judges (see entryProblems). */
const entryFields = {
  id: taskIdSchema,
  title: text,
  state: taskStateSchema,
  kind: taskKindSchema.default('feature'),
  lane: laneIdSchema.nullable().default(null),
  track: taskIdSchema.nullable().default(null),
  /** When the task was really created: before `legacy_before`, its debt is legacy. */
  created_at: when,
  /** Marks the task legacy whatever its date. */
  legacy_reason: text.optional(),
  /** Tasks it waits on, as `task depend` records them: ids in this file or already in the store; no cycles. */
  depends_on: z.array(taskIdSchema).default([]),
  /** What happened to it before (a handoff, a review...), so its evidence, or its debt, is on record. */
  events: z
    .array(z.strictObject({ kind: taskEventKindSchema, at: when, body: z.record(z.string(), z.unknown()).default({}) }))
    .default([]),
};

/**
 * One task of a backlog brought into the queue: its id, where it stands, when it was made, what
 * happened to it. This is the published shape (schemas/queue-import.schema.json); the file is read
 * with `packet` left open, so a packet's problems come from `packet check` itself.
 */
export const importEntrySchema = z
  .strictObject({
    ...entryFields,
    /** A context packet, when the task has one: it must pass `packet check` (catalogue and lanes too). */
    packet: contextPacketSchema.optional(),
  })
  .refine(entry => !entry.packet || entry.packet.task_id === entry.id, {
    path: ['packet', 'task_id'],
    error: 'must be the task id',
  });

export const importFileSchema = z.array(importEntrySchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `${entry.id} is listed twice` });
    seen.add(entry.id);
  });
});

// Duplicate ids are found in entryProblems, not here: an array refinement does not run while any
// entry fails, so a duplicate would be named only once everything else was fixed.
const readFileSchema = z.array(z.strictObject({ ...entryFields, packet: z.unknown().optional() }));

/** What an imported entry is checked against, as `packet check` checks: the catalogue (loaded only for a packet) and the lanes. */
export type ImportContext = {
  catalogue: () => Catalogue;
  /** Which of these ids are tasks in the store already (what a dependency outside the file must be). */
  inStore: (ids: string[]) => Promise<Set<string>>;
  /** Every task id in the store: read only when a dependency names none, for the nearest to suggest. */
  storeIds?: () => Promise<string[]>;
  governance: Located<Governance> | undefined;
  governanceFile: string;
};

/**
 * Reads a backlog file (YAML, or JSON for `.json`): every problem located (file:line field) and
 * nothing returned unless the whole file passes, so an import is all or nothing. Each packet must
 * pass `packet check`, each lane be in governance, and each state be one the task can be in.
 */
export async function readImportFile(root: string, file: string, context: ImportContext): Promise<ImportedTask[]> {
  const { full, content } = readNamedFile(root, file, {
    code: 'INPUT_INVALID',
    what: 'task list',
    hint: 'give a YAML or JSON file: a list of tasks with id, title, state, kind, lane, created_at',
  });
  const shown = displayPath(root, full);
  const { source, diagnostics: syntax } = packetSource(shown, backlogText(shown, content));
  const errors = syntax.filter(d => d.severity === 'error');
  const packets = new Map<number, ContextPacket>();
  const { value, diagnostics } = errors.length
    ? { value: undefined, diagnostics: errors }
    : validateSource(source, readFileSchema, 'schemas/queue-import.schema.json');
  if (!errors.length)
    diagnostics.push(...entryProblems(source, context, packets), ...(await dependencyProblems(source, context)));
  const wrapped = errors.length ? undefined : wrappedList(source);
  if (wrapped) diagnostics.splice(0, diagnostics.length, wrapped);
  if (value && !value.length)
    throw new PackgateError('INPUT_INVALID', `${source.file} lists no tasks; nothing imported`, {
      hint: 'a task list is a YAML or JSON list of tasks, each with id, title, state, created_at (see schemas/queue-import.schema.json)',
    });
  if (!value || hasErrors(diagnostics))
    throw new PackgateError(
      'INPUT_INVALID',
      `${source.file} is not a task list to import (${summarizeDiagnostics(diagnostics)}); nothing imported`,
      {
        diagnostics: sortDiagnostics(diagnostics),
        hint: 'fix every problem listed; an import is all the tasks or none',
      },
    );
  return value.map((entry, i) => {
    const packet = packets.get(i);
    return {
      id: entry.id,
      title: entry.title,
      state: entry.state,
      kind: packet?.kind ?? entry.kind,
      ownerLane: packet?.owner_lane ?? entry.lane,
      trackId: packet?.track_id ?? entry.track,
      createdAt: new Date(entry.created_at).toISOString(),
      packet: packet ? (packet as unknown as Record<string, unknown>) : null,
      packetDigest: packet ? packetDigest(packet) : null,
      legacyReason: entry.legacy_reason ?? null,
      // An id listed twice is one dependency, as `task depend` adds an edge it has once.
      dependsOn: [...new Set(entry.depends_on)],
      events: entry.events.map(e => ({ kind: e.kind, at: new Date(e.at).toISOString(), body: e.body })),
    };
  });
}

/**
 * A file whose list of tasks sits under a key (`tasks:`, as trackers export them) rather than at its
 * top: said so, with the key to drop, where the schema said "expected array, got a map".
 */
function wrappedList(source: YamlSource): Diagnostic | undefined {
  const top = source.value();
  if (!top || typeof top !== 'object' || Array.isArray(top)) return undefined;
  const lists = Object.entries(top).filter(([, v]) => Array.isArray(v));
  const key = lists.length === 1 ? lists[0][0] : undefined;
  return at(
    source,
    [],
    'not-a-list',
    `the file is a mapping (${Object.keys(top).slice(0, 3).join(', ') || 'empty'}), not a list of tasks`,
    key
      ? `the tasks go at the top of the file, as a list: drop "${key}:" and keep its list alone`
      : 'the file is a list of tasks, each "- id: ..." in YAML or [{ "id": ... }] in JSON (schemas/queue-import.schema.json)',
  );
}

/**
 * What the schema cannot see, on every entry whatever else is wrong with it, so one run lists it all:
 * a packet that would not pass `packet check` (its problems located in this file), a lane governance
 * does not know, and a state the task cannot be in as imported. Packets that pass go in `packets`.
 */
function entryProblems(source: YamlSource, context: ImportContext, packets: Map<number, ContextPacket>): Diagnostic[] {
  const entries = source.value();
  if (!Array.isArray(entries)) return [];
  const problems: Diagnostic[] = [];
  const lanes = Object.keys(context.governance?.value.lanes ?? {});
  const firstAt = new Map<string, number>();
  const now = new Date();
  entries.forEach((entry: unknown, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
    const { id, state, lane, kind, packet, created_at: createdAt, events } = entry as Record<string, unknown>;

    // A backlog is history: nothing in it happened after now (a typo in the year, or a local time
    // mistaken for UTC). A future date would also keep the task's debt new past legacy_before.
    const dated: Array<[PropertyKey[], unknown]> = [[[i, 'created_at'], createdAt]];
    if (Array.isArray(events))
      events.forEach((e: unknown, j) => dated.push([[i, 'events', j, 'at'], (e as { at?: unknown } | null)?.at]));
    for (const [fieldPath, value] of dated)
      if (typeof value === 'string' && when.safeParse(value).success && Date.parse(value) > now.getTime())
        problems.push(
          at(
            source,
            fieldPath,
            'future-date',
            `${value} is in the future (it is now ${now.toISOString()})`,
            'give the date it really happened, no later than now',
          ),
        );

    if (typeof id === 'string') {
      const first = firstAt.get(id);
      if (first === undefined) firstAt.set(id, i);
      else
        problems.push(
          at(
            source,
            [i, 'id'],
            'duplicate-id',
            `${id} is listed twice`,
            `it is first at line ${source.locate([first, 'id']).line} ([${first}].id); give this one a new id, or drop it`,
          ),
        );
    }

    if (typeof lane === 'string' && laneIdSchema.safeParse(lane).success) {
      if (!context.governance)
        problems.push(
          at(
            source,
            [i, 'lane'],
            'unknown-lane',
            `lane "${lane}" cannot be checked: there is no ${context.governanceFile}`,
            `create ${context.governanceFile} with the repository's lanes (schemas/governance.schema.json)`,
          ),
        );
      else if (!lanes.includes(lane))
        problems.push(
          at(
            source,
            [i, 'lane'],
            'unknown-lane',
            `lane "${lane}" is not in ${context.governanceFile}`,
            suggest(lane, lanes, 'lanes'),
          ),
        );
    }

    if (packet !== undefined) {
      const nested = new NestedSource(source, [i, 'packet'], packet);
      const checked = checkPacket(nested, { ...context, catalogue: context.catalogue() });
      const prefix = `[${i}].packet`;
      problems.push(
        ...checked.diagnostics.map(d => ({
          ...d,
          path: !d.path ? prefix : d.path.startsWith('[') ? prefix + d.path : `${prefix}.${d.path}`,
        })),
      );
      const packetId = (packet as Record<string, unknown> | null)?.task_id;
      if (typeof id === 'string' && typeof packetId === 'string' && packetId !== id)
        problems.push(
          at(
            source,
            [i, 'packet', 'task_id'],
            'task-id',
            `the packet is for task ${packetId}, but this entry is task ${id}`,
            `make the packet's task_id ${id}, or move the packet to its own entry`,
          ),
        );
      const given = packet && typeof packet === 'object' ? (packet as Record<string, unknown>) : {};
      problems.push(...packetConflicts(source, i, entry as Record<string, unknown>, given));
      // A packet that leaves out its kind is a feature by default: the entry's kind is what it means.
      const ownKind = given.kind === undefined ? taskKindSchema.safeParse(kind).data : undefined;
      if (checked.packet) packets.set(i, ownKind ? { ...checked.packet, kind: ownKind } : checked.packet);
    }

    // A worker takes a ready task and works from its packet (task-states.ts: PACKET_STATES); a task in
    // review or done is history, brought in with or without one, and queue health lists what it owes.
    if (state === 'ready' && packet === undefined)
      problems.push(
        at(
          source,
          [i, 'state'],
          'packet-required',
          `task ${String(id)} is ready but has no packet: a worker would have nothing to work from`,
          'add its "packet:" (as packgate packet new writes one), or import it as proposed and attach one later (packgate packet attach)',
        ),
      );
    // A task in progress is held by one session in its own worktree; an import creates neither.
    if (state === 'in_progress')
      problems.push(
        at(
          source,
          [i, 'state'],
          'no-holder',
          `task ${String(id)} cannot be imported in_progress: no session would hold it`,
          `import it as ready (with its packet), then start it: packgate task start ${String(id)}`,
        ),
      );
  });
  return problems;
}

/** The entry's fields the task takes from its packet when it has one: the entry's own, where given, must agree. */
const PACKET_FIELDS = [
  ['kind', 'kind'],
  ['lane', 'owner_lane'],
  ['track', 'track_id'],
] as const;

/**
 * An entry's kind, lane or track that its packet says otherwise: one of the two would be dropped
 * without a word (a bug fix imported as a feature, owing no regression), so neither is chosen.
 */
function packetConflicts(
  source: YamlSource,
  i: number,
  entry: Record<string, unknown>,
  packet: Record<string, unknown>,
): Diagnostic[] {
  return PACKET_FIELDS.flatMap(([field, packetField]) => {
    const mine = entry[field];
    const theirs = packet[packetField];
    if (typeof mine !== 'string' || typeof theirs !== 'string' || mine === theirs) return [];
    return [
      at(
        source,
        [i, field],
        'packet-conflict',
        `${field} is ${mine}, but its packet's ${packetField} is ${theirs}`,
        `give it once: drop "${field}:" here (the packet's ${packetField} is the task's), or make the two agree`,
      ),
    ];
  });
}

/**
 * Each `depends_on` id must be a task of the file or of the store, and no dependency may close a
 * cycle. Imported tasks are new, so no stored task waits on them: a cycle can only run through
 * the file's own edges, and every edge on one is named.
 */
async function dependencyProblems(source: YamlSource, context: ImportContext): Promise<Diagnostic[]> {
  const entries = source.value();
  if (!Array.isArray(entries)) return [];
  const edges = new Map<string, string[]>();
  const located: Array<{ i: number; j: number; from: string; to: string }> = [];
  entries.forEach((entry: unknown, i) => {
    const { id, depends_on: on } = (entry ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || !Array.isArray(on)) return;
    on.forEach((to, j) => {
      if (typeof to !== 'string' || on.indexOf(to) !== j) return;
      edges.set(id, [...(edges.get(id) ?? []), to]);
      located.push({ i, j, from: id, to });
    });
  });
  const inFile = fileIds(entries);
  const component = stronglyConnected(edges);
  const outside = [...new Set(located.map(e => e.to).filter(to => !inFile.has(to)))];
  const stored = outside.length ? await context.inStore(outside) : new Set<string>();
  const problems: Diagnostic[] = [];
  let storeIds: string[] | undefined;
  for (const { i, j, from, to } of located) {
    if (!inFile.has(to) && !stored.has(to)) {
      // A typo of a stored task is as likely as one of the file's (as every command that takes an id says).
      storeIds ??= (await context.storeIds?.()) ?? [];
      const near = nearest(to, [...inFile, ...storeIds]);
      problems.push(
        at(
          source,
          [i, 'depends_on', j],
          'unknown-task',
          `${from} depends on ${to}, which is neither in this file nor in the store`,
          near ? `did you mean "${near}"?` : suggest(to, [...inFile], 'task ids in this file'),
        ),
      );
    }
    // Only an edge within one component closes a cycle; its path is searched for alone.
    const back =
      component.get(from) === component.get(to) ? await shortestPath(to, from, node => edges.get(node) ?? []) : null;
    if (back)
      problems.push(
        at(
          source,
          [i, 'depends_on', j],
          'dependency-cycle',
          `${from} cannot depend on ${to}: that closes a cycle ${[from, ...back].join(' -> ')}`,
          'a task graph has no cycles; drop one of these dependencies',
        ),
      );
  }
  return problems;
}

function fileIds(entries: unknown[]): Set<string> {
  return new Set(
    entries.map(e => (e as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string'),
  );
}
