import { isUtf8 } from 'node:buffer';

/**
 * Where the first byte that is no UTF-8 is, by line (newline bytes are never inside a character)
 * and column; undefined when every byte is.
 */
export function firstNonUtf8(bytes: Buffer): { line: number; col: number } | undefined {
  if (isUtf8(bytes)) return undefined;
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    const text = bytes.subarray(start, end < 0 ? bytes.length : end);
    if (!isUtf8(text)) return { line, col: new TextDecoder('utf-8').decode(text).indexOf('\uFFFD') + 1 };
    if (end < 0) return { line, col: 1 };
    start = end + 1;
  }
}
