import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { firstNonUtf8 } from '../fs/utf8.ts';

const SAVE_AS_UTF8 = 'save the file as UTF-8 (an editor\'s "save with encoding", or iconv -t utf-8), then lint again';

/**
 * A catalogue file's bytes as text, or why they are not UTF-8 text. Read as UTF-8 regardless, an
 * accent saved as Latin-1 came in as U+FFFD without a word (lint said "catalogue ok" and reports
 * showed the title garbled), and UTF-16 was one string of the whole file, printed back as
 * "expected object, got ..." thousands of characters long.
 */
export function catalogueText(file: string, bytes: Buffer): { text: string } | { problem: Diagnostic } {
  const problem = (at: { line: number; col: number }, message: string, hint: string) => ({
    problem: { severity: 'error' as const, rule: 'encoding', file, ...at, path: '', message, hint },
  });
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const nul = bytes.indexOf(0);
  if (utf16 || nul >= 0)
    return problem(
      utf16 ? { line: 1, col: 1 } : positionOf(bytes, nul),
      utf16
        ? 'UTF-16 text (its first bytes are a UTF-16 byte order mark): packgate reads catalogue files as UTF-8'
        : 'a NUL byte: the file is UTF-16 or binary, and packgate reads catalogue files as UTF-8 text',
      SAVE_AS_UTF8,
    );
  const bad = firstNonUtf8(bytes);
  if (bad)
    return problem(
      bad,
      'not UTF-8: the byte here is no UTF-8 character (an accent saved as Latin-1 or Windows-1252?)',
      SAVE_AS_UTF8,
    );
  return { text: bytes.toString('utf8') };
}

/** The line and column of byte `offset`, counted in bytes from its line's start. */
function positionOf(bytes: Buffer, offset: number): { line: number; col: number } {
  const before = bytes.subarray(0, offset);
  let line = 1;
  for (const byte of before) if (byte === 0x0a) line++;
  return { line, col: offset - before.lastIndexOf(0x0a) };
}
