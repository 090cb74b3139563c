import type { z } from 'zod';
import { formatPath, type Diagnostic } from './diagnostic.ts';
import { didYouMean, nearest } from './nearest.ts';
import type { YamlSource } from './yaml-source.ts';

/**
 * Validates a YAML source against a schema and turns every zod issue into a located diagnostic.
 * Returns the parsed value only when there were no issues.
 */
export function validateSource<S extends z.ZodType>(
  source: YamlSource,
  schema: S,
  schemaFile: string,
): { value?: z.output<S>; diagnostics: Diagnostic[] } {
  const result = schema.safeParse(source.value(), { reportInput: true });
  if (result.success) return { value: result.data, diagnostics: [] };
  return { diagnostics: issuesToDiagnostics(result.error.issues, source, schema, schemaFile) };
}

/**
 * The diagnostics of issues found side by side (a file's, or one form's of a union). A required
 * field misspelt (`clent_id:`) is one slip, not two: zod finds `clent_id` unknown and `client_id`
 * missing; it is said once, as the unknown field with its did-you-mean, which says what to do.
 */
function issuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  source: YamlSource,
  schema: z.ZodType,
  schemaFile: string,
): Diagnostic[] {
  const missing = issues.filter(isMissing);
  const missingIn = (parent: readonly PropertyKey[]): string[] =>
    missing
      .filter(i => formatPath(i.path.slice(0, -1)) === formatPath(parent))
      .map(i => String(i.path[i.path.length - 1]));
  const meant = new Set(
    issues.flatMap(issue =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.flatMap(key => {
            const field = nearest(key, missingIn(issue.path));
            return field ? [formatPath([...issue.path, field])] : [];
          })
        : [],
    ),
  );
  return issues
    .filter(issue => !(isMissing(issue) && meant.has(formatPath(issue.path))))
    .flatMap(issue => issueToDiagnostics(issue, source, schema, schemaFile, missingIn(issue.path)));
}

/** A required field that is not there: zod's issue of its value, undefined. */
function isMissing(issue: z.core.$ZodIssue): boolean {
  return 'input' in issue && issue.input === undefined && issue.path.length > 0;
}

/** `missing`: the required fields missing beside the issue's unknown ones, the likeliest fields they were meant to be. */
function issueToDiagnostics(
  issue: z.core.$ZodIssue,
  source: YamlSource,
  schema: z.ZodType,
  schemaFile: string,
  missing: readonly string[] = [],
): Diagnostic[] {
  const base = { severity: 'error' as const, file: source.file };
  const unknownFields = (keys: readonly string[]): Diagnostic[] =>
    keys.map(key => {
      const path = [...issue.path, key];
      const known = knownKeysAt(schema, issue.path);
      const suggestion = nearest(key, missing) ?? nearest(key, known);
      return {
        ...base,
        rule: 'unknown-field',
        ...source.locate(path, { key: true }),
        path: formatPath(path),
        message: `unknown field "${key}"`,
        hint: suggestion ? `did you mean "${suggestion}"?` : `fields allowed here: ${known.join(', ')}`,
      };
    });
  if (issue.code === 'unrecognized_keys') return unknownFields(issue.keys);
  // A map no form of a union takes (`watch: {comand: ...}`): a field none of its forms knows is the
  // likely cause, so it is named with a did-you-mean, not the union's "not any of the accepted forms".
  if (issue.code === 'invalid_union' && !discriminatorOf(issue)) {
    const unknown = unknownInEveryForm(issue.errors);
    if (unknown.length) return unknownFields(unknown);
    // A map whose fields only one form takes (`{ fill: "#user", with: usrname }` is a fill step) is
    // that form with a bad value: said of the value, where it is, not as "a map is not any of the forms".
    const form = onlyFormOfItsFields(issue.errors);
    if (form)
      return issuesToDiagnostics(
        form.map(inner => ({ ...inner, path: [...issue.path, ...inner.path] })),
        source,
        schema,
        schemaFile,
      );
  }
  if (isMissing(issue)) {
    const field = String(issue.path[issue.path.length - 1]);
    return [
      {
        ...base,
        rule: 'missing-field',
        ...source.locate(issue.path.slice(0, -1)),
        path: formatPath(issue.path),
        message: `missing required field "${field}"`,
        hint: `add "${field}:" here; ${schemaFile} describes it`,
      },
    ];
  }
  // A field left blank (`root_cause:` with nothing after it) is null to YAML: said to be empty, not
  // "expected string, got null", whatever the file.
  if ('input' in issue && issue.input === null && issue.path.length > 0) return [emptyField(issue, source, schemaFile)];
  return [
    {
      ...base,
      rule: 'schema',
      ...source.locate(issue.path),
      path: formatPath(issue.path),
      message: describeIssue(issue),
      hint:
        suggestValue(issue) ?? quoteHint(issue) ?? customHint(issue) ?? `see ${schemaFile} for what this field takes`,
    },
  ];
}

/**
 * A refinement's own hint, where the schema file cannot say what the field takes (a pack's own path
 * names): `params: { value, near, hint }`, a near miss among `near` said first as a did-you-mean.
 */
function customHint(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'custom') return undefined;
  const { value, near, hint } = (issue.params ?? {}) as { value?: unknown; near?: unknown; hint?: unknown };
  const meant = Array.isArray(near)
    ? didYouMean(
        value,
        near.filter(n => typeof n === 'string'),
      )
    : undefined;
  return meant ?? (typeof hint === 'string' ? hint : undefined);
}

/**
 * A field, or a list item, present but empty (blank or null): `"root_cause" is empty`, at its key,
 * as a packet's empty fields are said, with the values it takes when it takes a few.
 */
function emptyField(issue: z.core.$ZodIssue, source: YamlSource, schemaFile: string): Diagnostic {
  const last = issue.path[issue.path.length - 1];
  const item = typeof last === 'number';
  const field = String(item ? issue.path[issue.path.length - 2] : last);
  const values = issue.code === 'invalid_value' ? issue.values.map(v => JSON.stringify(v)).join(', ') : undefined;
  return {
    severity: 'error',
    rule: 'empty-field',
    file: source.file,
    ...source.locate(issue.path, { key: !item }),
    path: formatPath(issue.path),
    message: item
      ? `item ${last + 1} of "${field}" is empty: fill it in or remove it`
      : `"${field}" is empty: fill it in`,
    hint: values
      ? `write ${item ? 'it' : `its value after "${field}:"`}: one of ${values}`
      : `${item ? 'write it' : `write its value after "${field}:"`}; ${schemaFile} describes it`,
  };
}

/**
 * The fields every map form of a union reports as unrecognized (at the union itself, not deeper).
 * A form that is no map (`none`, a string) refuses the map as a whole, and has no say.
 */
function unknownInEveryForm(forms: readonly (readonly z.core.$ZodIssue[])[]): string[] {
  const unknownIn = forms
    .filter(issues => !issues.some(i => !i.path.length && i.code !== 'unrecognized_keys'))
    .map(issues => new Set(issues.flatMap(i => (i.code === 'unrecognized_keys' && !i.path.length ? i.keys : []))));
  return [...(unknownIn[0] ?? [])].filter(key => unknownIn.every(keys => keys.has(key)));
}

/**
 * The issues of the one form of a union that takes the value as a whole and all its fields (every
 * other refuses it at its root: a field unrecognized, not a map), when exactly one does; else undefined.
 */
function onlyFormOfItsFields(forms: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const fitting = forms.filter(issues => !issues.some(i => !i.path.length));
  return fitting.length === 1 && fitting[0].length ? fitting[0] : undefined;
}

/** `did you mean "advisory"?` for a value one typo away from one the field takes. */
function suggestValue(issue: z.core.$ZodIssue): string | undefined {
  const tagged = discriminatorOf(issue);
  const [value, values] = tagged
    ? [tagged.value, tagged.options]
    : issue.code === 'invalid_value' && 'input' in issue
      ? [issue.input, issue.values]
      : issue.code === 'invalid_union' && 'input' in issue
        ? [issue.input, literalsOf(issue)]
        : [undefined, []];
  return didYouMean(
    value,
    values.filter(v => typeof v === 'string'),
  );
}

/**
 * A number or true/false where text is taken: YAML read `client_id: 123456` or `username: 1042` (a
 * numeric client id, an employee number) as a number, which the text it is refuses with "not any of
 * the accepted forms" alone. Quoted, it is the text.
 */
function quoteHint(issue: z.core.$ZodIssue): string | undefined {
  if (!('input' in issue) || !['number', 'boolean'].includes(typeof issue.input)) return undefined;
  const takesText = (inner: z.core.$ZodIssue) => inner.code === 'invalid_type' && inner.expected === 'string';
  const forms = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
  const text = issue.code === 'invalid_union' ? forms.some(([first]) => first && takesText(first)) : takesText(issue);
  return text
    ? `YAML reads ${String(issue.input)} as a ${typeof issue.input}: for the text, quote it, "${String(issue.input)}"`
    : undefined;
}

/**
 * The values a union takes as they are written (`none`, of identity_check's `none`, `{ selector }`
 * and `{ api, field }`), its nested unions' too: what a string no form took was likely meant to be.
 */
function literalsOf(issue: z.core.$ZodIssue): unknown[] {
  const forms = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
  return forms.flatMap(issues =>
    issues
      .filter(inner => !inner.path.length)
      .flatMap(inner =>
        inner.code === 'invalid_value' ? inner.values : inner.code === 'invalid_union' ? literalsOf(inner) : [],
      ),
  );
}

/** A discriminated union's issue: the discriminator's value, and the values it takes. */
function discriminatorOf(issue: z.core.$ZodIssue): { value: unknown; options: unknown[] } | undefined {
  const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
  if (issue.code !== 'invalid_union' || !discriminator || !options || !('input' in issue)) return undefined;
  const input = issue.input;
  return {
    value: input && typeof input === 'object' ? (input as Record<string, unknown>)[discriminator] : input,
    options,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const tagged = discriminatorOf(issue);
  if (tagged)
    return `expected one of ${tagged.options.map(v => JSON.stringify(v)).join(', ')}, got ${describeValue(tagged.value)}`;
  // A schema's own words for a value of the wrong type (its `error:`), not zod's "Invalid input: ...".
  if (issue.code === 'invalid_type' && !issue.message.startsWith('Invalid input')) return issue.message;
  if (issue.code === 'invalid_type' && 'input' in issue)
    return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
  if (issue.code === 'invalid_value' && 'input' in issue)
    return `expected one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}`;
  if (issue.code === 'invalid_union' && 'input' in issue) {
    const forms = stringForms(issue);
    return `${describeValue(issue.input)} is not ${forms ? forms.join(' or ') : 'any of the accepted forms'}`;
  }
  return issue.message;
}

/** The forms a union of string formats takes (a date, or a date and time), each with an example; else undefined. */
function stringForms(issue: z.core.$ZodIssue): string[] | undefined {
  const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
  const forms = branches.map(([first]) => {
    if (first?.code !== 'invalid_format') return undefined;
    // The issue keeps the pattern, not the options: one that takes an offset has `[+-]` in it.
    if (first.format === 'datetime')
      return /\[\+-\]/.test(String(first.pattern))
        ? 'a date and time with Z or an offset (2024-01-31T09:30:00Z, 2024-01-31T09:30:00+01:00)'
        : 'a date and time in UTC (2024-01-31T09:30:00Z)';
    if (first.format === 'date') return 'a date (2024-01-31)';
    return undefined;
  });
  return forms.length && forms.every(f => f) ? (forms as string[]) : undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/**
 * The fields of `raw` that are valid on their own, for a file that failed validation as a whole:
 * cross-reference checks still see its references, so one bad field does not hide other problems.
 * A file's schema that renames its fields (`renamed`) renames these too, so they have the parsed shape.
 */
export function lenientParse(schema: z.ZodType, raw: unknown): Record<string, unknown> {
  const object = unwrap(schema);
  const def = object?._zod.def as WalkableDef | undefined;
  if (def?.type !== 'object' || !raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries((def.shape ?? {}) as Record<string, z.ZodType>)) {
    const result = field.safeParse((raw as Record<string, unknown>)[key]);
    if (result.success && result.data !== undefined) out[key] = result.data;
  }
  const outer = schema._zod.def as WalkableDef;
  const rename = outer.type === 'pipe' && outer.out?._zod.def.type === 'transform' ? outer.out : undefined;
  return rename ? ((rename as z.ZodType).parse(out) as Record<string, unknown>) : out;
}

/**
 * The field names an object schema at `path` accepts, walking through wrappers, arrays and records;
 * of a union on the way or there, those of every form (`oidc.login.steps[0]` is in the `steps`
 * form of the login union, not its first).
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType[] = [schema];
  for (const segment of path) {
    current = current.flatMap(formsOf).flatMap(form => {
      const def = form._zod.def as WalkableDef;
      const next =
        def.type === 'object'
          ? def.shape?.[String(segment)]
          : def.type === 'array'
            ? def.element
            : def.type === 'record'
              ? def.valueType
              : undefined;
      return next ? [next] : [];
    });
  }
  return [...new Set(current.flatMap(keysOf))];
}

/** A schema's forms without their wrappers: a union's each, anything else itself. */
function formsOf(schema: z.core.$ZodType): z.core.$ZodType[] {
  const def = schema._zod.def as WalkableDef;
  if (def.type === 'union') return def.options!.flatMap(formsOf);
  if (WRAPPERS.has(def.type)) return formsOf(def.type === 'pipe' ? def.in! : def.innerType!);
  return [schema];
}

/** The fields an object takes, or a record keyed by an enum; of a union, every form's. */
function keysOf(schema: z.core.$ZodType | undefined): string[] {
  const def = schema?._zod.def as WalkableDef | undefined;
  if (def?.type === 'union') return [...new Set(def.options!.flatMap(keysOf))];
  if (def && WRAPPERS.has(def.type)) return keysOf(def.type === 'pipe' ? def.in : def.innerType);
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : enumValues(def?.keyType);
}

/** The keys a record whose keys are an enum (`layers: { api: ..., browser: ... }`) takes. */
function enumValues(keyType: z.core.$ZodType | undefined): string[] {
  const def = keyType?._zod.def as WalkableDef | undefined;
  return def?.type === 'enum' ? Object.values(def.entries ?? {}).map(String) : [];
}

/** The parts of zod's internal definitions the walkers read; each is present only on its own kind. */
type WalkableDef = z.core.$ZodTypeDef & {
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  keyType?: z.core.$ZodType;
  entries?: Record<string, string | number>;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
  options?: z.core.$ZodType[];
};

/** What wraps a schema without changing the fields it takes. */
const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'pipe']);

function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let current = schema;
  for (let i = 0; current && i < 10; i++) {
    const def = current._zod.def as WalkableDef;
    if (def.type === 'pipe') current = def.in;
    else if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'union')
      current =
        def.options!.find((o: z.core.$ZodType) => unwrap(o)?._zod.def.type === 'object') ??
        def.options!.find((o: z.core.$ZodType) => unwrap(o)?._zod.def.type === 'record') ??
        def.options![0];
    else return current;
  }
  return current;
}
