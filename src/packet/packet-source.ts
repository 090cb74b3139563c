import { stringify } from 'yaml';
import { YamlSource } from '../diagnostics/yaml-source.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { displayPath, readNamedFile } from '../fs/named-file.ts';
import type { ContextPacket } from './packet-schema.ts';

/**
 * A packet's text as a located source: YAML, or JSON for `.json` files (parsed strictly, so a
 * trailing comma is an error rather than the YAML that JSON happens to also be).
 */
export function packetSource(file: string, text: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const source = new YamlSource(file, text);
  if (file.endsWith('.json')) {
    // A byte order mark (an editor on Windows writes one) is no JSON token but says nothing either:
    // JSON.parse stops at it, where the YAML the file is read as skips it.
    const json = text.replace(/^\uFEFF/, '');
    try {
      JSON.parse(json);
    } catch (error) {
      const message = (error as Error).message;
      const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
      const before = json.slice(0, offset).split('\n');
      return {
        source,
        diagnostics: [
          {
            severity: 'error',
            rule: 'json-syntax',
            file,
            line: before.length,
            col: before[before.length - 1].length + 1,
            path: '',
            message: message.replace(/^JSON\.parse: /, ''),
            hint: 'fix the JSON syntax at this position',
          },
        ],
      };
    }
  }
  return { source, diagnostics: source.syntaxDiagnostics() };
}

/** Reads a packet file; a file that cannot be read is bad input, named. */
export function readPacketFile(root: string, file: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const { full, content } = readNamedFile(root, file, {
    code: 'INPUT_INVALID',
    what: 'packet',
    hint: 'give the path of a packet file (YAML or JSON) or the id of a task in the store',
  });
  return packetSource(displayPath(root, full), content.toString('utf8'));
}

/** The canonical YAML of a packet: fields in the document's order, the schema named for editors. */
export function renderPacket(packet: ContextPacket | Record<string, unknown>, schemaPath?: string): string {
  const head = schemaPath ? `# yaml-language-server: $schema=${schemaPath}\n` : '';
  return head + stringify(packet, { lineWidth: 0 });
}
