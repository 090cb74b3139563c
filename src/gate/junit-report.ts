import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { stripAnsi } from '../diagnostics/first-line.ts';
import { nearest } from '../diagnostics/nearest.ts';

/** One `<testcase>` of a JUnit XML report, as the unit layer judges it. */
export type UnitCase = {
  /** `<classname> › <name>` (or `<name>` when it has no classname), ` > ` read as ` › `. */
  id: string;
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** First line of its `<failure>`/`<error>` message (or text), when it failed. */
  message?: string;
};

/** A JUnit report read, or why it could not be: missing, unreadable, not XML, or XML that is not JUnit. */
export type UnitReport =
  { ok: true; cases: UnitCase[]; tests: number; failed: number; skipped: number } | { ok: false; problem: string };

const LISTS = new Set(['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped']);

/**
 * Reads JUnit XML text (as written by vitest, jest-junit, pytest, go-junit-report, Playwright...):
 * a `<testsuites>` or `<testsuite>` root, suites nested at any depth, each `<testcase>` passed,
 * failed (a `<failure>` or `<error>` child) or skipped (a `<skipped>` child). Counts come from the
 * cases, not the suites' `tests=` attributes, which reporters fill in differently. `shown` names the
 * file in messages, `at` says where its path came from (` (from UNIT_JUNIT)`), after a place in it.
 */
export function parseJunit(content: string | Uint8Array, shown: string, at = ''): UnitReport {
  const decoded = typeof content === 'string' ? { text: content } : decodeXml(content);
  if (decoded.text === undefined) return { ok: false, problem: `${shown}${at} ${decoded.problem}` };
  // Colour codes written as character references (`&#27;[31m`, as jest-junit and vitest write them):
  // XML 1.0 has no ESC, so the parser drops it and the rest, `[31m`, was left in the messages.
  const text = decoded.text.replace(/&#(?:27|x0*1b);\[[0-9;]*m/gi, '');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const where = [valid.err.line, valid.err.col].filter(n => n !== undefined).join(':');
    return {
      ok: false,
      // file:line:col together, as editors and terminals open it; where the path came from after it.
      problem: `${shown}${where ? `:${where}` : ''}${at} is not XML (${valid.err.msg.replace(/\.$/, '')}); the unit layer reads a JUnit XML report`,
    };
  }
  const doc = new XMLParser({
    ignoreAttributes: false,
    // Attributes apart from children: a case's `skipped="false"` is no <skipped> element.
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    parseAttributeValue: false,
    parseTagValue: false,
    // Numeric character references too: reporters write a message's newlines as &#10;.
    htmlEntities: true,
    isArray: name => LISTS.has(name),
  }).parse(text) as Record<string, unknown>;
  // An empty root (`<testsuites></testsuites>`, a suite that ran nothing) parses to '', not an object.
  if (doc.testsuites === undefined && doc.testsuite === undefined)
    return {
      ok: false,
      problem: `${shown}${at} is XML but not a JUnit report (its root is not <testsuites> or <testsuite>); point unit.junit at the suite's JUnit output`,
    };
  const cases = [...asList(doc.testsuites), ...asList(doc.testsuite)].flatMap(casesOf);
  return {
    ok: true,
    cases,
    tests: cases.length,
    failed: cases.filter(c => c.outcome === 'failed').length,
    skipped: cases.filter(c => c.outcome === 'skipped').length,
  };
}

/**
 * A report's bytes as text, in the encoding XML says they are in: a byte order mark (UTF-16, as
 * Windows tools write it, or UTF-8's), UTF-16 told by its first `<?`, else the declaration's
 * `encoding=` (ISO-8859-1, windows-1252...), else UTF-8. Read as UTF-8 regardless, a UTF-16 report
 * was "not XML" at 1:1 and a Latin-1 test name a required id could not match.
 */
export function decodeXml(
  bytes: Uint8Array,
): { text: string; problem?: undefined } | { text?: undefined; problem: string } {
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  const marked = starts(0xef, 0xbb, 0xbf)
    ? 'utf-8'
    : starts(0xff, 0xfe) || starts(0x3c, 0, 0x3f, 0)
      ? 'utf-16le'
      : starts(0xfe, 0xff) || starts(0, 0x3c, 0, 0x3f)
        ? 'utf-16be'
        : undefined;
  // Without a mark the declaration is ASCII, in any encoding it may name.
  const declared = marked
    ? undefined
    : /^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/.exec(
        Buffer.from(bytes.subarray(0, 256)).toString('latin1'),
      )?.[1];
  let decoder = new TextDecoder('utf-8');
  try {
    if (marked ?? declared) decoder = new TextDecoder(marked ?? declared);
  } catch {
    return { problem: `declares encoding "${declared}", which cannot be read here: write the report as UTF-8` };
  }
  // A declared UTF-16 over one-byte text is a writer's slip (.NET's XmlWriter over a string says
  // utf-16 whatever the file is saved in): those bytes are UTF-8.
  if (!marked && decoder.encoding.startsWith('utf-16')) decoder = new TextDecoder('utf-8');
  // TextDecoder drops the byte order mark of its encoding.
  return { text: decoder.decode(bytes) };
}

/**
 * The cases a required id names: those whose id (`<classname> › <name>`) or name alone equals it,
 * with ` > ` read as ` › ` and surrounding blanks ignored on both sides.
 */
export function casesOfId(cases: readonly UnitCase[], required: string): UnitCase[] {
  const wanted = normalise(required);
  return cases.filter(c => c.id === wanted || c.name === wanted);
}

/**
 * The ids a missing required id was likely meant to name, for its did-you-mean: the cases whose
 * own title (the last ` › ` part) is the required id's, as when a describe block nests it
 * (vitest's `callback > rejects a state mismatch`), at most three; else the nearest id, a typo.
 */
export function likelyMeant(cases: readonly UnitCase[], required: string): string[] {
  const title = (id: string) => id.split(' › ').pop()!;
  const wanted = title(normalise(required));
  const same = [...new Set(cases.filter(c => title(c.id) === wanted).map(c => c.id))];
  if (same.length) return same.slice(0, 3);
  // A required id is a case's id or its name alone: the nearest of either, in the form it was given.
  const near = nearest(normalise(required), [...new Set(cases.flatMap(c => [c.id, c.name]))]);
  return near ? [near] : [];
}

/**
 * What a required id says of the report: passed when every case it names passed; failed (with the
 * first failure's message) when one failed; skipped when none failed and one was skipped; missing
 * when no case is named by it.
 */
export function requirementOutcome(
  cases: readonly UnitCase[],
  required: string,
): { outcome: 'passed' | 'failed' | 'skipped' | 'missing'; message?: string } {
  const named = casesOfId(cases, required);
  if (!named.length) return { outcome: 'missing' };
  const failed = named.find(c => c.outcome === 'failed');
  if (failed) return { outcome: 'failed', message: failed.message };
  if (named.some(c => c.outcome === 'skipped')) return { outcome: 'skipped' };
  return { outcome: 'passed' };
}

/**
 * The cases of a `<testsuites>` or `<testsuite>`, at any depth: reports merged from several suites
 * nest a `<testsuites>` whole inside another, and some write cases straight under `<testsuites>`.
 */
function casesOf(suite: unknown): UnitCase[] {
  const node = record(suite);
  if (!node) return [];
  return [
    ...asList(node.testcase).map(caseOf),
    ...asList(node.testsuite).flatMap(casesOf),
    ...asList(node.testsuites).flatMap(casesOf),
  ];
}

function caseOf(testcase: unknown): UnitCase {
  const node = record(testcase) ?? {};
  const name = normalise(String(node['@_name'] ?? ''));
  const classname = normalise(String(node['@_classname'] ?? ''));
  const failure = [...asList(node.failure), ...asList(node.error)][0];
  const outcome = failure !== undefined ? 'failed' : node.skipped !== undefined ? 'skipped' : 'passed';
  return {
    id: classname ? `${classname} › ${name}` : name,
    name,
    outcome,
    ...(failure !== undefined ? { message: messageOf(failure) } : {}),
  };
}

function messageOf(failure: unknown): string {
  const node = record(failure);
  // The first of message, text and type that says something: reporters write `message=""` beside
  // the failure's text (its stack) when the error had no message.
  const texts = node ? [node['@_message'], node['#text'], node['@_type']] : [failure];
  // The message's own first line, its "TypeError:" kept: it says what kind of failure it was.
  const first = texts
    .flatMap(text => stripAnsi(String(text ?? '')).split('\n'))
    .map(l => l.trim())
    .find(Boolean);
  if (!first) return 'failed, without a message';
  // A one-line dump (a minified bundle's stack, a whole object's diff) would be the pack's reason in
  // the verdict and summary.md, whole: its start says what failed, the report the rest.
  return first.length > MESSAGE_MAX ? `${first.slice(0, MESSAGE_MAX - 3)}...` : first;
}

/** How much of a failure's first line the verdict quotes. */
const MESSAGE_MAX = 240;

function normalise(id: string): string {
  return id.replace(/\s+>\s+/g, ' › ').trim();
}

function asList(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
