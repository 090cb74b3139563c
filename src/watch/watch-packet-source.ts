import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { at, YamlSource } from '../diagnostics/yaml-source.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { nearest } from '../diagnostics/nearest.ts';
import { taskIdSchema } from '../packet/packet-schema.ts';
import { displayPath, readNamedFile } from '../fs/named-file.ts';
import { packetReferences, referenceProblems, type PacketProject, type ReferenceProblem } from './packet-references.ts';
import { watchPacketSchema, type WatchPacket } from './watch-packet-schema.ts';

/** Where `watch new` writes, unless --out says otherwise. */
export const WATCHERS_DIR = '.packgate/watchers';
export const WATCH_PACKET_SCHEMA_FILE = 'schemas/watch-packet.schema.json';

/** The ids of the watchers in WATCHERS_DIR, by their file names (`<id>.yaml`, as `watch new` writes them), sorted. */
export function watcherIds(root: string): string[] {
  const dir = path.join(root, WATCHERS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .map(f => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Whether a command's target is a packet file: one that exists (relative to the root), or named as YAML or JSON. */
export function isPacketPath(root: string, target: string): boolean {
  return fs.existsSync(path.resolve(root, target)) || /\.(ya?ml|json)$/.test(target);
}

/** The packet of the watcher with this id, where `watch new` writes it by default, if it is there. */
export function packetOfWatcher(root: string, id: string): string | undefined {
  const file = `${WATCHERS_DIR}/${id}.yaml`;
  return fs.existsSync(path.join(root, file)) ? file : undefined;
}

/**
 * The packet file a command is given: a path (relative to the root), or a watcher's id, whose packet
 * is where `watch new` writes it by default. An id with no packet there is refused with the nearest
 * id and the ids there are; anything else is taken as a path (and a missing file said so when read).
 */
export function watchPacketFile(root: string, target: string): string {
  if (isPacketPath(root, target) || !taskIdSchema.safeParse(target).success) return target;
  const packet = packetOfWatcher(root, target);
  if (packet) return packet;
  const file = `${WATCHERS_DIR}/${target}.yaml`;
  const ids = watcherIds(root);
  const near = nearest(target, ids);
  throw new PackgateError('INPUT_INVALID', `no watcher ${target}: no file ${target} and no packet ${file}`, {
    hint: ids.length
      ? `${near ? `did you mean ${near}? ` : ''}known watchers: ${ids.join(', ')} (packgate watch list)`
      : 'there are no watchers yet: write one with packgate watch new, or give the path of a packet',
  });
}

/**
 * Reads and checks a watcher packet file: every problem located (file:line:col field), or the packet.
 * With `project`, also what it names that the project does not have (see referenceProblems).
 */
export function readWatchPacket(
  root: string,
  file: string,
  project?: PacketProject,
): { packet: WatchPacket; file: string; source: YamlSource } {
  const { full, content } = readNamedFile(root, file, {
    code: 'WATCH_PACKET_INVALID',
    what: 'watcher packet',
    hint: 'give the path of a watcher packet (packgate watch new writes them to .packgate/watchers/)',
  });
  const source = new YamlSource(displayPath(root, full), content.toString('utf8'));
  const syntax = source.syntaxDiagnostics();
  const checked = hasErrors(syntax)
    ? { value: undefined, diagnostics: syntax }
    : validateSource(source, watchPacketSchema, WATCH_PACKET_SCHEMA_FILE);
  const { value } = checked;
  const both = hasErrors(syntax) ? undefined : bothTargets(source.value());
  const diagnostics = [
    // Said once, in the packet's words: the schema's union would name a field of one form unknown to the other.
    ...(both
      ? [
          at(source, ['watch'], 'schema', both.message, both.hint),
          ...checked.diagnostics.filter(d => !isWatchPath(d.path)),
        ]
      : checked.diagnostics),
    ...(value && project
      ? referenceProblems(packetReferences(value), project).map(q =>
          at(source, q.path, 'watch-reference', q.message, q.hint),
        )
      : []),
    ...(value ? idFileProblems(root, full, value.id).map(q => at(source, q.path, 'watch-id', q.message, q.hint)) : []),
  ];
  if (!value || hasErrors(diagnostics))
    throw new PackgateError(
      'WATCH_PACKET_INVALID',
      `watcher packet ${source.file} does not pass (${summarizeDiagnostics(diagnostics)})`,
      { diagnostics, hint: `fix each problem above; ${WATCH_PACKET_SCHEMA_FILE} describes every field` },
    );
  return { packet: value, file: source.file, source };
}

/**
 * A `watch:` map with a command and a job's fields both (a packet edited from one to the other): a union's
 * diagnostics would say `unknown field "poll_command"`, did you mean "poll_command"?, or that the map is
 * none of the accepted forms. The one thing to say is to keep one.
 */
function bothTargets(raw: unknown): { message: string; hint: string } | undefined {
  const watch = (raw as { watch?: unknown } | null)?.watch;
  if (!watch || typeof watch !== 'object' || !('command' in watch)) return undefined;
  const job = ['job_id', 'poll_command'].filter(k => k in watch);
  if (!job.length) return undefined;
  return {
    message: `watches a command and a job both (command, ${job.join(' and ')})`,
    hint: 'keep command: (a command it runs), or job_id: with poll_command: (an external job it follows)',
  };
}

function isWatchPath(field: string | undefined): boolean {
  return field === 'watch' || !!field?.startsWith('watch.');
}

/**
 * A packet in WATCHERS_DIR is its watcher: `watch run <id>` and `watch list` know it by its file name.
 * One whose id is another (a packet copied for a second watcher, its id left as it was) would close
 * its runs out as the other watcher's, counted in that one's escalation streaks, and be listed
 * twice under that id. A packet elsewhere (`--out`) is run by its path: its file name says nothing.
 */
export function idFileProblems(root: string, file: string, id: string): ReferenceProblem[] {
  const full = path.resolve(root, file);
  if (path.dirname(full) !== path.resolve(root, WATCHERS_DIR) || !full.endsWith('.yaml')) return [];
  const named = path.basename(full, '.yaml');
  if (named === id) return [];
  return [
    {
      path: ['id'],
      message:
        `the watcher in ${WATCHERS_DIR}/${named}.yaml is ${named}, by its file name, but its id is ${id}: ` +
        `its runs would be closed out as ${id}'s`,
      hint: `set id: ${named} (a copied packet keeps the id it was copied from), or rename the file to ${id}.yaml`,
    },
  ];
}

/** A watcher packet's YAML, naming its schema for editors. */
export function renderWatchPacket(packet: WatchPacket, schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}\n${stringify(packet, { lineWidth: 0 })}`;
}
