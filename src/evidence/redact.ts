import { CREDENTIAL_PATTERNS } from './credential-patterns.ts';
import { REDACTED } from './redacted.ts';
import { base64Cores, BASE64_CHAR, textualForms } from './secret-forms.ts';
import { maskSecretInputs } from './secret-inputs.ts';

export { REDACTED };

/**
 * Removes secrets from text before it is written anywhere, in three layers:
 * 1. the values of every secret the run knows (the environment's, and the tokens, codes and cookies
 *    the fixtures saw), in every form they take: raw, percent-encoded, JSON- and HTML-escaped,
 *    base64 and base64url;
 * 2. what a person typed into a secret field: password inputs in DOM snapshots, fills of password
 *    fields, whatever the value;
 * 3. what looks like a credential whatever its value: OAuth codes, states and tokens in URLs and
 *    forms, bearer tokens, cookies, credential headers and fields, JWTs.
 */
export type Redactor = (text: string) => string;

/**
 * Values at least this long are removed wherever they appear. A shorter value is also an ordinary
 * word, a piece of an id or a hash often enough that removing every occurrence would erase evidence
 * (a 4-character password "test" would take every test title with it) and still miss nothing the
 * patterns and input masking do not catch; such a value is removed only where it stands alone as a
 * field's whole value: a quoted string (`"abc"`, `Fill \"abc\"`), a parameter (`password=abc&`), or
 * a `key: abc` line. That is where a typed or submitted secret lands in traces, forms and errors.
 */
export const MIN_FREE_STANDING_LENGTH = 6;

export function createRedactor(secretValues: readonly string[]): Redactor {
  const values = [...new Set(secretValues)].filter(v => v.length > 0 && v !== REDACTED);
  // Longest first, so a secret that contains another is replaced whole.
  const long = values.filter(v => v.length >= MIN_FREE_STANDING_LENGTH).sort((a, b) => b.length - a.length);
  const short = values.filter(v => v.length < MIN_FREE_STANDING_LENGTH).sort((a, b) => b.length - a.length);
  const anywhere = long.length ? new RegExp(long.map(textualForms).join('|'), 'g') : undefined;
  // Base64 of the value, and of the value JSON-escaped (a token holding JSON: a cookie, a JWT's payload).
  const cores = [...new Set(long.flatMap(v => [v, JSON.stringify(v).slice(1, -1)]).flatMap(v => base64Cores(v)))];
  const standingAlone = short.length ? shortValuePattern(short) : undefined;

  const redact = (text: string, depth: number): string => {
    let out = text;
    if (anywhere) out = out.replace(anywhere, REDACTED);
    if (cores.length) out = replaceBase64Runs(out, cores);
    if (standingAlone) out = out.replace(standingAlone, REDACTED);
    out = maskSecretInputs(out);
    out = out.split(CDATA_END).map(applyCredentialPatterns).join(CDATA_END);
    if (depth < MAX_BASE64_TEXT_DEPTH) out = redactBase64Text(out, inner => redact(inner, depth + 1));
    return out;
  };
  return text => redact(text, 0);
}

/**
 * The end of an XML CDATA section. JUnit XML holds a test's output and failure as
 * `<![CDATA[...]]>`, the end on the text's last line, where a pattern that takes the rest of a line
 * (a cookie header, a command's --password) would take it too and leave the file unreadable. Inside
 * CDATA the text's own `]]>` is written escaped, so a bare one only ever ends a section: the patterns
 * run on the text between them.
 */
const CDATA_END = ']]>';

function applyCredentialPatterns(text: string): string {
  let out = text;
  for (const { pattern, replace } of CREDENTIAL_PATTERNS)
    out = typeof replace === 'string' ? out.replace(pattern, replace) : out.replace(pattern, replace);
  return out;
}

/** Base64 text inside base64 text is decoded this many levels deep. */
const MAX_BASE64_TEXT_DEPTH = 2;

/** A JSON string that is all base64, long enough to hold a credential. */
const BASE64_STRING = /"([A-Za-z0-9+/]{12,}={0,2})"/g;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text carried base64-encoded in a JSON string, redacted decoded and put back encoded: Playwright's
 * trace records a request context's post body this way (`"postData":"Z3JhbnRfdHlwZT1..."`), so a
 * form's code or refresh token is in no textual form a pattern could find. Strings that do not decode
 * to printable UTF-8 (hashes, ids, images) are left as they are.
 */
function redactBase64Text(text: string, redact: Redactor): string {
  if (!text.includes('"')) return text;
  return text.replace(BASE64_STRING, (whole, encoded: string) => {
    if (encoded.length % 4 === 1) return whole;
    let decoded: string;
    try {
      decoded = strictUtf8.decode(Buffer.from(encoded, 'base64'));
    } catch {
      return whole;
    }
    if (!isPrintable(decoded)) return whole;
    const redacted = redact(decoded);
    return redacted === decoded ? whole : `"${Buffer.from(redacted, 'utf8').toString('base64')}"`;
  });
}

/** Short values where they are a field's whole value: quoted, after `=`, or after `key:` at the end of a line. */
function shortValuePattern(values: string[]): RegExp {
  const value = `(?:${values.map(textualForms).join('|')})`;
  return new RegExp(
    [
      `(?<=["'])${value}(?=\\\\?["'])`,
      `(?<==)${value}(?=$|[&#;,\\s"'<>\\\\]|%26)`,
      `(?<=[\\w-]:[ \\t]*)${value}(?=[ \\t]*$)`,
    ].join('|'),
    'gm',
  );
}

/**
 * Replaces every base64 run that holds one of `cores` whole: the characters around a core still carry
 * a few bits of the value, and the run they sit in (an Authorization: Basic value, a cookie) is
 * the secret's container anyway. Found by indexOf, not a regex, so long base64 runs cost no backtracking.
 */
function replaceBase64Runs(text: string, cores: string[]): string {
  const ranges: Array<[number, number]> = [];
  for (const core of cores) {
    for (let at = text.indexOf(core); at !== -1; at = text.indexOf(core, at + core.length)) {
      let start = at;
      let end = at + core.length;
      while (start > 0 && BASE64_CHAR.test(text[start - 1])) start--;
      while (end < text.length && BASE64_CHAR.test(text[end])) end++;
      while (end < text.length && text[end] === '=') end++;
      ranges.push([start, end]);
    }
  }
  if (!ranges.length) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  for (const [start, end] of ranges) {
    if (end <= last) continue;
    out += text.slice(last, Math.max(start, last)) + (start >= last ? REDACTED : '');
    last = end;
  }
  return out + text.slice(last);
}

/** No control characters but tab, newline and carriage return: text, not bytes that happened to decode. */
function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return false;
  }
  return true;
}

/** Redacts every string inside a JSON-able value. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(v => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  return value;
}
