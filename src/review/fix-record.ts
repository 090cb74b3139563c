import { secretFieldDiagnostics } from '../evidence/secret-fields.ts';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { summarizeDiagnostics } from '../diagnostics/format.ts';
import { at, YamlSource } from '../diagnostics/yaml-source.ts';
import { validateSource } from '../diagnostics/zod-diagnostics.ts';
import { displayPath, readNamedFile } from '../fs/named-file.ts';
import { fixRecordSchema, type FixRecord } from './fix-record-schema.ts';

/** Where a record's fields are described, as the located errors name it. */
export const FIX_RECORD_SCHEMA_FILE = 'schemas/fix-record.schema.json';

/** A bug-fix record file, read and validated: the record, and its source for locating later problems. */
export type LoadedFixRecord = { record: FixRecord; source: YamlSource };

/**
 * Reads a bug-fix record (YAML) and validates it: FIX_RECORD_INVALID with every problem located
 * (file:line:col, field, hint) when it is not one, before anything is written.
 */
export function readFixRecord(root: string, file: string): LoadedFixRecord {
  const { full, content } = readNamedFile(root, file, {
    code: 'FIX_RECORD_INVALID',
    what: 'the bug-fix record',
    hint: 'give the path of the YAML file with the fix record (--file fix.yaml)',
  });
  return parseFixRecord(displayPath(root, full), content.toString('utf8'));
}

/** Validates a record's text, named `file` in its problems. */
export function parseFixRecord(file: string, text: string): LoadedFixRecord {
  const source = new YamlSource(file, text);
  const syntax = source.syntaxDiagnostics();
  if (hasErrors(syntax)) throw invalidRecord(source, syntax);
  const raw = source.value();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw invalidRecord(source, [
      at(
        source,
        [],
        'fix-record-shape',
        'a bug-fix record is a map of fields',
        `its fields: ${Object.keys(fixRecordSchema.shape).join(', ')}`,
      ),
    ]);
  const { value, diagnostics } = validateSource(source, fixRecordSchema, FIX_RECORD_SCHEMA_FILE);
  // The record is stored and shown to reviewers and on the dashboard: no credential in it.
  const secrets = secretFieldDiagnostics(source, raw, SECRET_IN_RECORD);
  if (!value || secrets.length) throw invalidRecord(source, [...diagnostics, ...secrets]);
  return { record: value, source };
}

const SECRET_IN_RECORD = {
  rule: 'secret-in-record',
  hint: 'name the env var or the file that holds it instead; the record is stored and shown to reviewers',
};

/** FIX_RECORD_INVALID with every problem, located: nothing was recorded. */
export function invalidRecord(source: YamlSource, diagnostics: readonly Diagnostic[]): PackgateError {
  return new PackgateError(
    'FIX_RECORD_INVALID',
    `bug-fix record ${source.file} does not pass (${summarizeDiagnostics(diagnostics)})`,
    { diagnostics, hint: 'fix each problem above; nothing was recorded' },
  );
}
