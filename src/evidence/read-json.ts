import fs from 'node:fs';
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { YamlSource } from '../diagnostics/yaml-source.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';

/** How to name a JSON document in messages, and what to tell a person who has a bad one. */
export type JsonDocument = {
  /** The file as the person knows it, e.g. `gate-results/verdict.json`. */
  shown: string;
  /** What it is called, e.g. `verdict`. */
  name: string;
  /** What it should be, e.g. `a packgate verdict`. */
  what: string;
  /** Where the fields are described, for per-field hints. */
  described: string;
  /** What to do when it is not there. */
  hint: string;
  /** What to do when it is there but not JSON or not `what` (default: `hint`). */
  malformedHint?: string;
};

/** Reads and validates a JSON file: INPUT_INVALID when it is not there, EVIDENCE_INVALID when it is not `doc.what`. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S, doc: JsonDocument): z.output<S> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '' : ` (${code ?? 'unreadable'})`;
    throw new PackgateError('INPUT_INVALID', `no ${doc.name} at ${doc.shown}${why}`, { hint: doc.hint });
  }
  return parseJsonText(text, schema, doc);
}

/** Parses JSON text and validates it, every problem located by field path (and line:col in the text). */
export function parseJsonText<S extends z.ZodType>(text: string, schema: S, doc: JsonDocument): z.output<S> {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new PackgateError('EVIDENCE_INVALID', `${doc.shown} is not JSON: ${(error as Error).message}`, {
      hint: doc.malformedHint ?? doc.hint,
    });
  }
  const { value, diagnostics: found } = validateSource(
    new YamlSource(doc.shown, text, { json: true }),
    schema,
    doc.described,
  );
  const diagnostics = found.map(inJson);
  if (value === undefined)
    throw new PackgateError(
      'EVIDENCE_INVALID',
      `${doc.shown} is not ${doc.what} (${summarizeDiagnostics(diagnostics)})`,
      {
        diagnostics,
        hint: doc.malformedHint ?? doc.hint,
      },
    );
  return value;
}

/**
 * The locators write their hints for YAML, the catalogue's syntax (`add "payload:" here`, `write its
 * value after "payload:"`); a JSON document is told in JSON: the member to add to the object, with
 * its quotes and colon, or the value that takes null's place.
 */
function inJson(diagnostic: Diagnostic): Diagnostic {
  const field = /(?:^|\.)([^.[\]]+)$/.exec(diagnostic.path)?.[1];
  const yamlHint = (prefix: string) => (field && diagnostic.hint?.startsWith(prefix) ? prefix : undefined);
  const missing = diagnostic.rule === 'missing-field' && yamlHint(`add "${field}:" here`);
  if (missing)
    return { ...diagnostic, hint: `add "${field}": <value> to this object${diagnostic.hint!.slice(missing.length)}` };
  const empty = diagnostic.rule === 'empty-field' && yamlHint(`write its value after "${field}:"`);
  if (empty)
    return { ...diagnostic, hint: `give "${field}" a value in place of null${diagnostic.hint!.slice(empty.length)}` };
  return diagnostic;
}
