import fs from 'node:fs';
import type { z } from 'zod';
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
  hint: string;
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
      hint: doc.hint,
    });
  }
  const { value, diagnostics } = validateSource(new YamlSource(doc.shown, text, { json: true }), schema, doc.described);
  if (value === undefined)
    throw new PackgateError(
      'EVIDENCE_INVALID',
      `${doc.shown} is not ${doc.what} (${summarizeDiagnostics(diagnostics)})`,
      {
        diagnostics,
        hint: doc.hint,
      },
    );
  return value;
}
