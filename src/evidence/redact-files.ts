import fs from 'node:fs';
import { gunzipSync, gzipSync, unzipSync, zipSync, type Zippable } from 'fflate';
import { contentKind } from './content-kind.ts';
import type { Redactor } from './redact.ts';
import { writeFileAtomic } from '../fs/write-file-atomic.ts';

/**
 * Something the redactor could not read, so could not vouch for: removed from the published output
 * (a whole file deleted, an archive entry dropped from its archive) and reported, never left in place.
 */
export type Quarantined = {
  /** The file, then each archive entry inside it, joined by `!`: `trace.zip!attachments/3f2e!resources/a.dat`. */
  path: string;
  /** Why it could not be read: "corrupt zip: ...", "neither UTF-8 text nor a known media type". */
  reason: string;
};

export type FileRedaction = {
  /** Whether the file was rewritten (or deleted). */
  changed: boolean;
  /** What was removed because it could not be read; the whole file when its path is the file's. */
  quarantined: Quarantined[];
};

/** Archives inside archives deeper than this are not opened; the entry is quarantined. */
const MAX_DEPTH = 8;
/** An archive that would unpack to more than this is not unpacked (a zip bomb); it is quarantined. */
const MAX_UNPACKED_BYTES = 1 << 30;

/** A Playwright HTML report (and any page) carries data as a base64 zip in a data URL. */
const EMBEDDED_ZIP = /(data:application\/(?:zip|x-zip-compressed|octet-stream);base64,)([A-Za-z0-9+/]+={0,2})/g;

/**
 * Redacts a file where it lies, by what it holds (not its name or content type): text as text
 * (UTF-8), zips entry by entry and zips inside them at any depth, gzip inside out; images, media
 * and fonts are left as they are (password fields render masked). What cannot be read (not UTF-8
 * and no known media type, a corrupt archive) is quarantined: a whole file is deleted, an archive
 * entry is dropped from its archive, and either is returned in `quarantined`.
 *
 * @param _contentType what the caller was told the file is; not trusted, the content decides.
 * @param options.keepText text to leave unredacted (a file identical to one Playwright ships).
 */
export function redactFileInPlace(
  file: string,
  _contentType: string | undefined,
  redact: Redactor,
  options: { keepText?: (text: string) => boolean } = {},
): FileRedaction {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { changed: false, quarantined: [] };
    return quarantineFile(file, `cannot be read: ${(error as Error).message}`);
  }
  const result = redactBytes(bytes, file, redact, 0, options.keepText);
  if (result.bytes === undefined) return quarantineFile(file, result.quarantined[0]?.reason ?? 'cannot be read');
  if (result.changed) writeFileAtomic(file, result.bytes);
  return { changed: result.changed, quarantined: result.quarantined };
}

function quarantineFile(file: string, reason: string): FileRedaction {
  fs.rmSync(file, { force: true });
  return { changed: true, quarantined: [{ path: file, reason }] };
}

type BytesRedaction = {
  /** The redacted bytes; undefined when the whole thing must be quarantined. */
  bytes: Uint8Array | undefined;
  changed: boolean;
  quarantined: Quarantined[];
};

/** Redacts one file's or entry's bytes; `label` is its path for reports. */
export function redactBytes(
  bytes: Uint8Array,
  label: string,
  redact: Redactor,
  depth = 0,
  keepText?: (text: string) => boolean,
): BytesRedaction {
  const unchanged = { bytes, changed: false, quarantined: [] };
  const whole = (reason: string): BytesRedaction => ({
    bytes: undefined,
    changed: true,
    quarantined: [{ path: label, reason }],
  });
  const content = contentKind(bytes);
  switch (content.kind) {
    case 'empty':
    case 'binary':
      return unchanged;
    case 'unreadable':
      return whole(content.why);
    case 'text': {
      if (keepText?.(content.text)) return unchanged;
      const inner = redactText(content.text, label, redact, depth, keepText);
      return inner.text === content.text
        ? { ...unchanged, quarantined: inner.quarantined }
        : { bytes: Buffer.from(inner.text, 'utf8'), changed: true, quarantined: inner.quarantined };
    }
    case 'gzip': {
      if (depth >= MAX_DEPTH) return whole(`archive nested deeper than ${MAX_DEPTH} levels`);
      let inflated: Uint8Array;
      try {
        inflated = gunzipSync(bytes);
      } catch (error) {
        return whole(`corrupt gzip: ${(error as Error).message}`);
      }
      const inner = redactBytes(inflated, label, redact, depth + 1, keepText);
      if (inner.bytes === undefined) return inner;
      return inner.changed
        ? { ...inner, bytes: gzipSync(inner.bytes) }
        : { ...unchanged, quarantined: inner.quarantined };
    }
    case 'zip':
      if (depth >= MAX_DEPTH) return whole(`archive nested deeper than ${MAX_DEPTH} levels`);
      return redactZip(bytes, label, redact, depth, keepText);
  }
}

function redactZip(
  bytes: Uint8Array,
  label: string,
  redact: Redactor,
  depth: number,
  keepText?: (text: string) => boolean,
): BytesRedaction {
  let entries: Record<string, Uint8Array>;
  let unpacked = 0;
  try {
    entries = unzipSync(bytes, {
      filter: file => {
        unpacked += file.originalSize;
        if (unpacked > MAX_UNPACKED_BYTES) throw new Error(`it would unpack to more than ${MAX_UNPACKED_BYTES} bytes`);
        return true;
      },
    });
  } catch (error) {
    return {
      bytes: undefined,
      changed: true,
      quarantined: [{ path: label, reason: `corrupt zip: ${(error as Error).message}` }],
    };
  }
  const out: Zippable = {};
  const quarantined: Quarantined[] = [];
  let changed = false;
  for (const [original, data] of Object.entries(entries)) {
    // A name publishes what it holds as content does: an entry named after a token is renamed.
    const name = uniqueEntryName(redact(original), out);
    changed ||= name !== original;
    if (name.endsWith('/')) {
      out[name] = data;
      continue;
    }
    const inner = redactBytes(data, `${label}!${name}`, redact, depth + 1, keepText);
    quarantined.push(...inner.quarantined);
    if (inner.bytes === undefined) {
      changed = true;
      continue;
    }
    changed ||= inner.changed;
    // Already-compressed media gains nothing from deflate.
    out[name] = contentKind(inner.bytes).kind === 'binary' ? [inner.bytes, { level: 0 }] : inner.bytes;
  }
  return changed ? { bytes: zipSync(out, { level: 6 }), changed, quarantined } : { bytes, changed, quarantined };
}

/** `name`, or, when an entry has it already (two names that redact alike), `name` numbered. */
function uniqueEntryName(name: string, taken: Zippable): string {
  let candidate = name;
  for (let i = 2; candidate in taken; i++) candidate = name.replace(/(\.[^./]+)?(\/?)$/, `-${i}$1$2`);
  return candidate;
}

/** Text, with zips embedded as base64 data URLs redacted as zips and put back in place. */
function redactText(
  text: string,
  label: string,
  redact: Redactor,
  depth: number,
  keepText?: (text: string) => boolean,
): { text: string; quarantined: Quarantined[] } {
  const quarantined: Quarantined[] = [];
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(EMBEDDED_ZIP)) {
    const [all, prefix, data] = match;
    const before = text.slice(last, match.index);
    parts.push(keepText?.(before) ? before : redact(before));
    const zip = Buffer.from(data, 'base64');
    const inner = redactBytes(zip, `${label}!${prefix.slice(0, -1)}`, redact, depth + 1, keepText);
    quarantined.push(...inner.quarantined);
    // An embedded archive that cannot be read is dropped from the text; the rest of the text stays.
    parts.push(inner.bytes ? prefix + Buffer.from(inner.bytes).toString('base64') : prefix);
    last = match.index + all.length;
  }
  if (!parts.length) return { text: redact(text), quarantined };
  parts.push(redact(text.slice(last)));
  return { text: parts.join(''), quarantined };
}
