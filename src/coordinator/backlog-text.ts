import { PackgateError } from '../diagnostics/errors.ts';
import { firstNonUtf8 } from '../fs/utf8.ts';

/**
 * A backlog file's bytes as text. Exported from another tracker or saved by an editor on Windows,
 * it may start with a byte order mark or not be UTF-8 at all. Read as UTF-8 regardless, UTF-8's
 * mark fails YAML with a dozen syntax errors, UTF-16 is one garbled string, and Latin-1's accents
 * come in as U+FFFD without a word: so a mark says the encoding, and other bytes must be UTF-8.
 */
export function backlogText(file: string, bytes: Buffer): string {
  // TextDecoder drops the byte order mark of its encoding.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const bad = firstNonUtf8(bytes);
  if (!bad) return new TextDecoder('utf-8').decode(bytes);
  const { line, col } = bad;
  const message = 'not UTF-8: this byte is no UTF-8 character (the file may be Latin-1 or Windows-1252)';
  const hint = 'save the file as UTF-8 (an editor\'s "save with encoding", or iconv -f windows-1252 -t utf-8)';
  throw new PackgateError('INPUT_INVALID', `${file} is not UTF-8 text; nothing imported`, {
    diagnostics: [{ severity: 'error', rule: 'encoding', file, line, col, path: '', message, hint }],
    hint: 'then import it again: a byte order mark says UTF-16, else the file is read as UTF-8',
  });
}
