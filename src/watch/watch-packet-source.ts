import { stringify } from 'yaml';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { at, YamlSource } from '../diagnostics/yaml-source.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { displayPath, readNamedFile } from '../fs/named-file.ts';
import { packetReferences, referenceProblems, type PacketProject } from './packet-references.ts';
import { watchPacketSchema, type WatchPacket } from './watch-packet-schema.ts';

/** Where `watch new` writes, unless --out says otherwise. */
export const WATCHERS_DIR = '.packgate/watchers';
export const WATCH_PACKET_SCHEMA_FILE = 'schemas/watch-packet.schema.json';

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
  const diagnostics = [
    ...checked.diagnostics,
    ...(value && project
      ? referenceProblems(packetReferences(value), project).map(q =>
          at(source, q.path, 'watch-reference', q.message, q.hint),
        )
      : []),
  ];
  if (!value || hasErrors(diagnostics))
    throw new PackgateError(
      'WATCH_PACKET_INVALID',
      `watcher packet ${source.file} does not pass (${summarizeDiagnostics(diagnostics)})`,
      { diagnostics, hint: `fix each problem above; ${WATCH_PACKET_SCHEMA_FILE} describes every field` },
    );
  return { packet: value, file: source.file, source };
}

/** A watcher packet's YAML, naming its schema for editors. */
export function renderWatchPacket(packet: WatchPacket, schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}\n${stringify(packet, { lineWidth: 0 })}`;
}
