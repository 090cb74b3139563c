import { escapeRegExp } from '../text/escape-regexp.ts';

/**
 * The forms a known secret value takes in what a run writes, as patterns to find it by: a value
 * reaches an artifact raw, percent-encoded (in a URL, or a form body with `+` for space),
 * JSON-escaped (once in a trace's JSON, twice when a JSON body sits in a JSON string), HTML-escaped
 * (an error page echoing input) or base64 / base64url (an Authorization: Basic header, a cookie).
 */

/** Regex source matching one character in any of its textual encodings (raw, JSON, percent, HTML). */
function charForms(char: string): string {
  const forms = new Set<string>([escapeRegExp(char)]);
  const code = char.codePointAt(0)!;
  const isWord = /^[A-Za-z0-9]$/.test(char);
  if (!isWord) {
    // Percent-encoding of each UTF-8 byte, in either hex case, and encoded twice (%25XX: a URL
    // carried inside another URL's parameter).
    const bytes = [...Buffer.from(char, 'utf8')];
    forms.add(bytes.map(b => `%${hexEitherCase(b)}`).join(''));
    forms.add(bytes.map(b => `%25${hexEitherCase(b)}`).join(''));
    if (char === ' ') forms.add('\\+');
    // JSON escapes, once and twice (a JSON body inside a JSON string: `"text":"{\"password\":...}"`).
    for (const once of jsonEscapes(char)) {
      forms.add(escapeRegExp(once));
      forms.add(escapeRegExp(JSON.stringify(once).slice(1, -1)));
    }
    // HTML character references, for pages that echo what was submitted.
    for (const entity of htmlEntities(char, code)) forms.add(entity);
  }
  return forms.size === 1 ? [...forms][0] : `(?:${[...forms].join('|')})`;
}

function jsonEscapes(char: string): string[] {
  const code = char.codePointAt(0)!;
  const out = new Set<string>([JSON.stringify(char).slice(1, -1)]);
  if (char === '/') out.add('\\/');
  // \u escapes, as serializers that keep their output ASCII write every non-ASCII character.
  if (code > 0x7e || code < 0x20)
    out.add(
      [...char]
        .flatMap(c => Array.from({ length: c.length }, (_, i) => c.charCodeAt(i)))
        .map(unit => `\\u${unit.toString(16).padStart(4, '0')}`)
        .join(''),
    );
  return [...out].filter(form => form !== char);
}

function htmlEntities(char: string, code: number): string[] {
  const named: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };
  const out = [`&#0*${code};`, `&#[xX]0*${code.toString(16)};`.replace(/[a-f]/g, c => `[${c}${c.toUpperCase()}]`)];
  if (named[char]) out.push(`&${named[char]};`);
  return out;
}

function hexEitherCase(byte: number): string {
  return byte
    .toString(16)
    .toUpperCase()
    .padStart(2, '0')
    .replace(/[A-F]/g, c => `[${c}${c.toLowerCase()}]`);
}

/** Regex source matching the value with every character in any of its textual encodings. */
export function textualForms(value: string): string {
  return [...value].map(charForms).join('');
}

/**
 * The base64 and base64url text that encodes the value wherever it sits in the encoded data. Base64
 * turns 3 bytes into 4 characters, so the characters a value yields depend on its offset modulo 3;
 * for each offset these are the characters that depend on the value's bytes alone. A prefix such as
 * `client-id:` before a secret (HTTP Basic) changes the offset, not these characters.
 */
export function base64Cores(value: string, minLength = 6): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Character i holds bits [6i, 6i+6); the value's bits are [8*offset, 8*(offset+n)).
    const first = Math.ceil((8 * offset) / 6);
    const last = Math.floor((8 * (offset + bytes.length)) / 6); // exclusive
    const core = encoded.slice(first, last);
    if (core.length < minLength) continue;
    cores.add(core);
    cores.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...cores];
}

/** Characters of a base64 or base64url run, padding apart. */
export const BASE64_CHAR = /[A-Za-z0-9+/_-]/;
