import { z } from 'zod';
import { environmentSchema } from '../../src/schema/environment.ts';
import { governanceSchema } from '../../src/governance/governance-schema.ts';
import { handoffSchema } from '../../src/loop/handoff-schema.ts';
import { packSchema } from '../../src/schema/pack.ts';
import { contextPacketSchema } from '../../src/packet/packet-schema.ts';
import { faultCatalogueSchema, projectSchema } from '../../src/schema/project.ts';
import { seedSetSchema } from '../../src/schema/seed.ts';
import { testManifestSchema } from '../../src/schema/test-manifest.ts';
import { verdictFileSchema } from '../../src/schema/verdict.ts';
import { fixRecordSchema } from '../../src/review/fix-record-schema.ts';
import { watchPacketSchema } from '../../src/watch/watch-packet-schema.ts';
import { importFileSchema } from '../../src/coordinator/import-tasks.ts';
import { queueHealthReportSchema } from '../../src/coordinator/queue-health-report.ts';

/**
 * The JSON Schemas exported for editors (`# yaml-language-server: $schema=...`) and for readers of
 * verdict.json. Listed here, on the CLI's side, because it names both wings' schemas.
 */
export const exportedSchemas: Array<{ file: string; title: string; schema: z.ZodType; io: 'input' | 'output' }> = [
  { file: 'pack.schema.json', title: 'packgate workflow pack (packs/<id>/pack.yaml)', schema: packSchema, io: 'input' },
  {
    file: 'environment.schema.json',
    title: 'packgate environment (environments/<name>.yaml)',
    schema: environmentSchema,
    io: 'input',
  },
  {
    file: 'tests.schema.json',
    title: 'packgate test manifest of a pack (packs/<id>/tests.yaml)',
    schema: testManifestSchema,
    io: 'input',
  },
  { file: 'seed.schema.json', title: 'packgate seed set (seeds/<id>.yaml)', schema: seedSetSchema, io: 'input' },
  {
    file: 'project.schema.json',
    title: 'packgate project manifest (packgate.yaml)',
    schema: projectSchema,
    io: 'input',
  },
  {
    file: 'faults.schema.json',
    title: 'packgate fault catalogue of the reference stack',
    schema: faultCatalogueSchema,
    io: 'input',
  },
  {
    file: 'verdict.schema.json',
    title: 'packgate gate verdict (gate-results/verdict.json)',
    schema: verdictFileSchema,
    io: 'output',
  },
  {
    file: 'packet.schema.json',
    title: 'packgate context packet (packgate packet new|check|attach)',
    schema: contextPacketSchema,
    io: 'input',
  },
  {
    file: 'governance.schema.json',
    title: 'packgate governance: lanes, packet defaults, worktrees (governance.yaml)',
    schema: governanceSchema,
    io: 'input',
  },
  {
    file: 'fix-record.schema.json',
    title: "packgate bug-fix record: a bug fix's definition of done (packgate review record)",
    schema: fixRecordSchema,
    io: 'input',
  },
  {
    file: 'handoff.schema.json',
    title: 'packgate handoff of a task (packgate handoff --json)',
    schema: handoffSchema,
    io: 'output',
  },
  {
    file: 'watch-packet.schema.json',
    title: 'packgate watcher packet (packgate watch new|run)',
    schema: watchPacketSchema,
    io: 'input',
  },
  {
    file: 'queue-health.schema.json',
    title: 'packgate queue health report (packgate queue health --json: report)',
    schema: queueHealthReportSchema,
    io: 'output',
  },
  {
    file: 'queue-import.schema.json',
    title: 'packgate backlog to import (packgate queue import FILE)',
    schema: importFileSchema,
    io: 'input',
  },
];

/** Authored files are read as input (defaults optional); verdict.json is what the gate writes. */
export function renderJsonSchema(entry: (typeof exportedSchemas)[number]): string {
  const json = z.toJSONSchema(entry.schema, { io: entry.io, unrepresentable: 'any' });
  return JSON.stringify({ ...json, title: entry.title }, null, 2) + '\n';
}
