import fs from 'node:fs';
import path from 'node:path';
import { environmentsOfPack } from '../catalogue/environment-packs.ts';
import type { Catalogue, Located } from '../catalogue/load.ts';
import { at, type YamlSource } from '../diagnostics/yaml-source.ts';
import { lenientParse, validateSource } from '../diagnostics/zod-diagnostics.ts';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { secretFieldDiagnostics } from '../evidence/secret-fields.ts';
import { planProjects } from '../catalogue/project-plan.ts';
import type { Governance } from '../governance/governance-schema.ts';
import type { Pack } from '../schema/pack.ts';
import { contextPacketSchema, packetEnvironmentName, PACKET_FIELDS, type ContextPacket } from './packet-schema.ts';
import { fieldHints } from './defaults.ts';
import { suggest } from '../diagnostics/nearest.ts';
import { ownedButForbidden } from './owned-but-forbidden.ts';

export const PACKET_SCHEMA_FILE = 'schemas/packet.schema.json';

export type PacketContext = {
  catalogue: Catalogue;
  governance?: Located<Governance>;
  /** Where lanes come from, to name it when there is none. */
  governanceFile: string;
  /** The task the packet is stored on, when checking a stored packet. */
  taskId?: string;
};

/**
 * Checks a packet and collects every problem, each with its field path and position: fields missing
 * or empty, values of the wrong shape, names the catalogue or governance does not know (pack,
 * environment, lane, playwright project), and anything that looks like a secret.
 */
export function checkPacket(
  source: YamlSource,
  context: PacketContext,
): { packet?: ContextPacket; diagnostics: Diagnostic[] } {
  const raw = source.value();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return {
      diagnostics: [
        at(
          source,
          [],
          'packet-shape',
          'a packet is a map of fields',
          `start from \`packgate packet new\`; ${PACKET_SCHEMA_FILE} describes it`,
        ),
      ],
    };
  const fields = raw as Record<string, unknown>;
  const { value, diagnostics: schemaProblems } = validateSource(source, contextPacketSchema, PACKET_SCHEMA_FILE);
  const diagnostics = emptiness(source, fields, fieldHints(context.governanceFile), schemaProblems);
  const reported = new Set(diagnostics.map(d => d.path));
  diagnostics.push(
    ...schemaProblems.filter(
      d => ![...reported].some(p => d.path === p || d.path.startsWith(`${p}.`) || d.path.startsWith(`${p}[`)),
    ),
  );
  diagnostics.push(...secretFieldDiagnostics(source, fields, SECRET_IN_PACKET));
  // References are checked on every field that is valid on its own, so an unknown pack is named
  // even when other fields are missing too.
  const lenient = lenientParse(contextPacketSchema, raw) as Partial<ContextPacket>;
  diagnostics.push(...references(source, lenient, context));
  diagnostics.push(...ownedButForbidden(source, lenient, context.governanceFile));
  diagnostics.push(...folderGlobs(source, lenient, context.catalogue.root));
  return { packet: hasErrors(diagnostics) ? undefined : value, diagnostics };
}

/**
 * Missing fields, and fields (or list items) present but empty: the problems a worker most needs named.
 * An empty list is said as the schema says it, with what to list (filledList), and the field's hint.
 */
function emptiness(
  source: YamlSource,
  fields: Record<string, unknown>,
  hints: Record<string, string>,
  schemaProblems: readonly Diagnostic[],
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const field of PACKET_FIELDS) {
    const hint = hints[field];
    if (!(field in fields)) {
      problems.push({
        ...at(source, [], 'missing-field', `missing required field "${field}"`, `add "${field}:": ${hint}`),
        path: field,
      });
      continue;
    }
    const value = fields[field];
    if (isEmpty(value)) {
      const said = Array.isArray(value) ? schemaProblems.find(d => d.path === field)?.message : undefined;
      problems.push(
        at(source, [field], 'empty-field', said ?? `"${field}" is empty`, `fill it in: ${hint}`, { key: true }),
      );
      continue;
    }
    if (Array.isArray(value))
      value.forEach((item, i) => {
        if (isEmpty(item))
          problems.push(
            at(source, [field, i], 'empty-field', `item ${i + 1} of "${field}" is empty`, 'fill it in or remove it'),
          );
      });
  }
  return problems;
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'string' && !value.trim()) ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Names of packs, environments, lanes and projects that do not exist. */
function references(source: YamlSource, packet: Partial<ContextPacket>, context: PacketContext): Diagnostic[] {
  const { catalogue } = context;
  const problems: Diagnostic[] = [];
  const packs = [...catalogue.packs.keys()];
  const environments = [...catalogue.environments.keys()];
  const running = (pack: Pack) =>
    environmentsOfPack(
      pack,
      [...catalogue.environments.values()].map(e => e.value),
      [...catalogue.packs.values()].map(p => p.value),
    );
  const packId = packet.workflow_regression_pack;
  const pack = packId ? catalogue.packs.get(packId)?.value : undefined;
  if (packId && !pack)
    problems.push(
      at(
        source,
        ['workflow_regression_pack'],
        'unknown-pack',
        `pack "${packId}" does not exist`,
        suggest(packId, packs, 'packs'),
      ),
    );
  if (packet.environment) {
    const envName = packetEnvironmentName(packet.environment);
    const envPath = typeof packet.environment === 'string' ? ['environment'] : ['environment', 'name'];
    if (!catalogue.environments.has(envName))
      problems.push(
        at(
          source,
          envPath,
          'unknown-environment',
          `environment "${envName}" does not exist`,
          suggest(envName, environments, 'environments'),
        ),
      );
    else if (pack && !running(pack).includes(envName))
      problems.push(
        at(
          source,
          envPath,
          'pack-environment',
          `pack "${pack.id}" does not run in environment "${envName}"`,
          `it runs in: ${running(pack).join(', ') || '(no environment)'}`,
        ),
      );
  }

  const lane = packet.owner_lane;
  const lanes = Object.keys(context.governance?.value.lanes ?? {});
  if (lane && !context.governance)
    problems.push(
      at(
        source,
        ['owner_lane'],
        'unknown-lane',
        `lane "${lane}" cannot be checked: there is no ${context.governanceFile}`,
        `create ${context.governanceFile} with the repository's lanes (schemas/governance.schema.json)`,
      ),
    );
  else if (lane && !lanes.includes(lane))
    problems.push(
      at(
        source,
        ['owner_lane'],
        'unknown-lane',
        `lane "${lane}" is not in ${context.governanceFile}`,
        suggest(lane, lanes, 'lanes'),
      ),
    );

  (packet.acceptance ?? []).forEach((item, i) => {
    if (typeof item === 'string') return;
    if (!catalogue.packs.has(item.pack))
      problems.push(
        at(
          source,
          ['acceptance', i, 'pack'],
          'unknown-pack',
          `pack "${item.pack}" does not exist`,
          suggest(item.pack, packs, 'packs'),
        ),
      );
    if (item.environment && !catalogue.environments.has(item.environment))
      problems.push(
        at(
          source,
          ['acceptance', i, 'environment'],
          'unknown-environment',
          `environment "${item.environment}" does not exist`,
          suggest(item.environment, environments, 'environments'),
        ),
      );
  });

  const projects = [...new Set(planProjects(catalogue).map(p => p.name))];
  (packet.commands_to_run ?? []).forEach((command, i) => {
    for (const project of projectsOf(command))
      if (!projects.includes(project))
        problems.push(
          at(
            source,
            ['commands_to_run', i],
            'unknown-project',
            `playwright project "${project}" does not exist`,
            suggest(project, projects, 'projects'),
          ),
        );
  });

  if (context.taskId && packet.task_id && packet.task_id !== context.taskId)
    problems.push(
      at(
        source,
        ['task_id'],
        'task-id',
        `the packet is for task ${packet.task_id}, but it is stored on task ${context.taskId}`,
        'attach it to its own task',
      ),
    );
  return problems;
}

/**
 * A glob that spells a folder of the project without wildcards (`packs/auth-session`) matches that
 * path alone, and git names no change by a folder's path: it owns, or forbids, none of the files in
 * it. A symbolic link is a file to git (its change is the link's path), so it is left alone.
 */
function folderGlobs(source: YamlSource, packet: Partial<ContextPacket>, root: string): Diagnostic[] {
  return (['owned_files', 'must_not_touch'] as const).flatMap(field =>
    (packet[field] ?? []).flatMap((glob, i) => {
      if (/[*?{]/.test(glob) || glob.endsWith('/')) return [];
      if (!fs.lstatSync(path.join(root, glob), { throwIfNoEntry: false })?.isDirectory()) return [];
      return [
        at(
          source,
          [field, i],
          'folder-glob',
          `"${glob}" is a folder: a glob matches files, so this one ${field === 'owned_files' ? 'owns' : 'forbids'} none of the files in it`,
          `write "${glob}/" (the folder and everything under it)`,
        ),
      ];
    }),
  );
}

/** The `--project` values of a playwright command line. */
export function projectsOf(command: string): string[] {
  if (!/\bplaywright\s+test\b/.test(command)) return [];
  return [...command.matchAll(/--project(?:=|\s+)(\S+)/g)].map(m => m[1].replace(/^['"]|['"]$/g, ''));
}

/** A packet travels to workers and into the store: a value that looks like a credential must not. */
const SECRET_IN_PACKET = {
  rule: 'secret-in-packet',
  hint: 'name the env var that holds it instead; packets are stored and handed to workers',
};
