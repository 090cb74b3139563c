import fs from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Redactor } from './redact.ts';

/** Entries never worth reading as text: images, fonts, media, archives. */
const BINARY_ENTRY = /\.(jpe?g|png|gif|webp|avif|ico|bmp|woff2?|ttf|otf|eot|mp4|webm|ogg|mp3|wav|zip|gz|br|pdf|wasm)$/i;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Redacts an evidence file where it lies: text files as text, zips (Playwright traces) entry by
 * entry, leaving images alone (password fields render masked). Binary files are left as they are.
 * Returns whether anything changed.
 */
export function redactFileInPlace(file: string, contentType: string, redact: Redactor): boolean {
  if (!fs.existsSync(file)) return false;
  if (contentType === 'application/zip' || file.endsWith('.zip')) return redactZip(file, redact);
  if (/^(text\/|application\/(json|xml|x-ndjson))/.test(contentType))
    return rewrite(file, fs.readFileSync(file, 'utf8'), redact);
  return false;
}

function redactZip(file: string, redact: Redactor): boolean {
  const entries = unzipSync(fs.readFileSync(file));
  let changed = false;
  for (const [name, bytes] of Object.entries(entries)) {
    const text = asText(name, bytes);
    if (text === undefined) continue;
    const redacted = redact(text);
    if (redacted === text) continue;
    entries[name] = strToU8(redacted);
    changed = true;
  }
  if (changed) atomicWrite(file, zipSync(entries));
  return changed;
}

/**
 * The entry as text, or undefined for binary. Decided by content, not name: traces keep request
 * bodies (where a submitted password lives) as `resources/<sha1>.dat`, and form posts are text.
 */
function asText(name: string, bytes: Uint8Array): string | undefined {
  if (BINARY_ENTRY.test(name) || bytes.subarray(0, 4096).includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function rewrite(file: string, text: string, redact: Redactor): boolean {
  const redacted = redact(text);
  if (redacted === text) return false;
  atomicWrite(file, redacted);
  return true;
}

function atomicWrite(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.redacting-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
