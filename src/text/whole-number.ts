/**
 * An integer as a person wrote it: digits, with a minus sign if any; else undefined. Number() would
 * also read '' and ' ' as 0, and '0x1' or '1e0' as 1: a flag or env var left empty or mistyped is no
 * number anyone meant.
 */
export function wholeNumber(text: string): number | undefined {
  return /^-?\d+$/.test(text) ? Number(text) : undefined;
}
