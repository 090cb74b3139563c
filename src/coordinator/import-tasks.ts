import { z } from 'zod';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { displayPath, readNamedFile } from '../fs/named-file.ts';
import { laneIdSchema } from '../governance/governance-schema.ts';
import { packetDigest } from '../packet/attach-packet.ts';
import { packetSource } from '../packet/packet-source.ts';
import { contextPacketSchema, taskIdSchema } from '../packet/packet-schema.ts';
import { taskEventKindSchema, taskKindSchema, taskStateSchema } from '../store/queue-schema.ts';
import type { ImportedTask } from '../store/task-import-repository.ts';

const text = z.string().trim().min(1, { error: 'is empty' });
const when = z.iso.datetime({ offset: true }).or(z.iso.date());

/** One task of a backlog brought into the queue: its id, where it stands, when it was made, what happened to it. */
export const importEntrySchema = z
  .strictObject({
    id: taskIdSchema,
    title: text,
    state: taskStateSchema,
    kind: taskKindSchema.default('feature'),
    lane: laneIdSchema.nullable().default(null),
    track: taskIdSchema.nullable().default(null),
    /** When the task was really created: before `legacy_before`, its debt is legacy. */
    created_at: when,
    /** A context packet, when the task has one (checked against the packet schema, not the catalogue). */
    packet: contextPacketSchema.optional(),
    /** Marks the task legacy whatever its date. */
    legacy_reason: text.optional(),
    /** What happened to it before (a handoff, a review...), so its evidence, or its debt, is on record. */
    events: z
      .array(
        z.strictObject({ kind: taskEventKindSchema, at: when, body: z.record(z.string(), z.unknown()).default({}) }),
      )
      .default([]),
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

/**
 * Reads a backlog file (YAML, or JSON for `.json`): every problem located (file:line field) and
 * nothing returned unless the whole file passes, so an import is all or nothing.
 */
export function readImportFile(root: string, file: string): ImportedTask[] {
  const { full, content } = readNamedFile(root, file, {
    code: 'INPUT_INVALID',
    what: 'task list',
    hint: 'give a YAML or JSON file: a list of tasks with id, title, state, kind, lane, created_at',
  });
  const { source, diagnostics: syntax } = packetSource(displayPath(root, full), content.toString('utf8'));
  const errors = syntax.filter(d => d.severity === 'error');
  const { value, diagnostics } = errors.length
    ? { value: undefined, diagnostics: errors }
    : validateSource(source, importFileSchema, 'queue import');
  if (!value)
    throw new PackgateError(
      'INPUT_INVALID',
      `${source.file} is not a task list to import (${summarizeDiagnostics(diagnostics)}); nothing imported`,
      {
        diagnostics,
        hint: 'fix every problem listed; an import is all the tasks or none',
      },
    );
  return value.map(entry => ({
    id: entry.id,
    title: entry.title,
    state: entry.state,
    kind: entry.packet?.kind ?? entry.kind,
    ownerLane: entry.packet?.owner_lane ?? entry.lane,
    trackId: entry.packet?.track_id ?? entry.track,
    createdAt: new Date(entry.created_at).toISOString(),
    packet: entry.packet ? (entry.packet as unknown as Record<string, unknown>) : null,
    packetDigest: entry.packet ? packetDigest(entry.packet) : null,
    legacyReason: entry.legacy_reason ?? null,
    events: entry.events.map(e => ({ kind: e.kind, at: new Date(e.at).toISOString(), body: e.body })),
  }));
}
