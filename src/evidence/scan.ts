import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, unzipSync } from 'fflate';
import { filesUnder } from './files-under.ts';

/**
 * Finds secrets in published artifacts: the check behind redaction, deliberately sharing none of the
 * redactor's code (a mistake in one must not hide in the other). Every file is read whole; zips and
 * gzip are unpacked at any depth, found by their first bytes, as are zips embedded in text as base64
 * data URLs (the HTML report); every file and entry, and every file and entry name, is searched for
 * each secret in five encodings.
 */
export type Encoding = 'raw' | 'url' | 'json' | 'base64' | 'base64url';
export const ENCODINGS: readonly Encoding[] = ['raw', 'url', 'json', 'base64', 'base64url'];

export type ScanSecret = {
  /** What kind of secret (password, refresh-token, ...): reported with each hit, never the value. */
  kind: string;
  value: string;
};

export type ScanHit = {
  /** File (relative to the folder scanned), then each archive entry, joined by `!`. */
  path: string;
  kind: string;
  encoding: Encoding;
};

export type ScanResult = {
  hits: ScanHit[];
  /** Archives that could not be opened: whatever they hold was not searched. */
  unreadable: string[];
  /** Files and entries searched. */
  searched: number;
};

const MAX_DEPTH = 12;

/** Scans every file under `folder` (a missing folder holds nothing). */
export function scanForSecrets(folder: string, secrets: readonly ScanSecret[]): ScanResult {
  const needles = secrets.flatMap(secret => needlesOf(secret));
  const result: ScanResult = { hits: [], unreadable: [], searched: 0 };
  for (const file of filesUnder(folder))
    scanBytes(fs.readFileSync(file), path.relative(folder, file), needles, result, 0);
  return result;
}

/** Scans one text (a run's stdout, say) as if it were a file named `label`. */
export function scanText(text: string, label: string, secrets: readonly ScanSecret[]): ScanHit[] {
  const result: ScanResult = { hits: [], unreadable: [], searched: 0 };
  scanBytes(Buffer.from(text, 'utf8'), label, secrets.flatMap(needlesOf), result, 0);
  return result.hits;
}

type Needle = { kind: string; encoding: Encoding; secret: string; bytes: string };

/**
 * Each secret in each encoding, as the latin1 string of its UTF-8 bytes, to search content as
 * latin1 (every byte one character, whatever the content's own encoding). Forms identical to an
 * earlier encoding's are dropped, so a hit is reported under the plainest encoding that explains it.
 */
export function needlesOf(secret: ScanSecret): Needle[] {
  const { value } = secret;
  const forms: Array<[Encoding, string]> = [['raw', value]];
  // Percent-encoded as in a URL (%20) and in a form body (+), or every non-alphanumeric byte encoded;
  // hex digits in either case.
  for (const url of [
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    value.replace(/[^A-Za-z0-9]/g, c => [...Buffer.from(c, 'utf8')].map(b => `%${hex(b)}`).join('')),
  ])
    forms.push(['url', url], ['url', url.replace(/%[0-9A-F]{2}/g, h => h.toLowerCase())]);
  // JSON string content: escaped once, with / escaped too, with non-ASCII as \u escapes, and twice.
  const json = JSON.stringify(value).slice(1, -1);
  forms.push(['json', json], ['json', json.replace(/\//g, '\\/')]);
  forms.push(['json', json.replace(/[^\x20-\x7e]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)]);
  forms.push(['json', JSON.stringify(json).slice(1, -1)]);
  for (const core of base64Cores(value)) {
    forms.push(['base64', core]);
    forms.push(['base64url', core.replace(/\+/g, '-').replace(/\//g, '_')]);
  }
  const seen = new Set<string>();
  const needles: Needle[] = [];
  for (const [encoding, form] of forms) {
    const bytes = Buffer.from(form, 'utf8').toString('latin1');
    if (seen.has(bytes) || bytes.length < 4) continue;
    seen.add(bytes);
    needles.push({ kind: secret.kind, encoding, secret: value, bytes });
  }
  return needles;
}

/** The base64 characters that depend on the value alone, at each of the three byte offsets. */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((offset * 4) / 3), Math.floor(((offset + bytes.length) * 4) / 3));
    if (core.length >= 6) out.push(core);
  }
  return out;
}

function scanBytes(bytes: Uint8Array, label: string, needles: Needle[], result: ScanResult, depth: number): void {
  result.searched++;
  // The name too: a file named after a secret publishes it.
  search(label.slice(label.lastIndexOf('!') + 1), label, needles, result);
  if (depth < MAX_DEPTH && isZip(bytes)) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
    } catch (error) {
      result.unreadable.push(`${label}: ${(error as Error).message}`);
      return;
    }
    for (const [name, data] of Object.entries(entries)) scanBytes(data, `${label}!${name}`, needles, result, depth + 1);
    return;
  }
  if (depth < MAX_DEPTH && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      scanBytes(gunzipSync(bytes), `${label}!gunzip`, needles, result, depth + 1);
    } catch (error) {
      result.unreadable.push(`${label}: ${(error as Error).message}`);
    }
    return;
  }
  const text = Buffer.from(bytes).toString('latin1');
  search(text, label, needles, result);
  for (const match of text.matchAll(/data:[\w/.+-]+;base64,([A-Za-z0-9+/]+={0,2})/g)) {
    const embedded = Buffer.from(match[1], 'base64');
    if (isZip(embedded) || (embedded[0] === 0x1f && embedded[1] === 0x8b))
      scanBytes(embedded, `${label}!data-url@${match.index}`, needles, result, depth + 1);
  }
}

function search(haystack: string, label: string, needles: Needle[], result: ScanResult): void {
  const found = new Set<string>();
  for (const needle of needles) {
    const key = `${needle.kind}\0${needle.secret}\0${needle.encoding}`;
    if (found.has(key) || !haystack.includes(needle.bytes)) continue;
    found.add(key);
    result.hits.push({ path: label, kind: needle.kind, encoding: needle.encoding });
  }
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && bytes[3] === bytes[2] + 1;
}
