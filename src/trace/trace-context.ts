import crypto from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): reading, writing and minting
 * `traceparent` values. Pure apart from the random ids.
 */

/** The four fields of a `traceparent` (and of the `traceresponse` answered in the same format). */
export type Traceparent = {
  /** Two lowercase hex digits; `00` is the version this module writes. */
  version: string;
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero: the sender's span. */
  parentId: string;
  /** Two lowercase hex digits; bit 0 is "sampled". */
  flags: string;
};

const HEX = /^[0-9a-f]+$/;
/** version-traceid-parentid-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2. */
const VERSION_00_LENGTH = 55;

/**
 * The header's fields, or undefined when a receiver must ignore it (and start a new trace):
 * 1. The version is two lowercase hex digits and not `ff` (forbidden by the spec).
 * 2. Version `00` is exactly 55 characters; a higher version is read by its first four fields
 *    (at least 55 characters, and a `-` after the flags if anything follows), as the spec asks
 *    so that a newer format can still be continued.
 * 3. Trace id 32 and parent id 16 lowercase hex digits, neither all zero; flags 2 hex digits.
 * Uppercase hex is invalid, not normalised: the spec allows only lowercase.
 */
export function parseTraceparent(header: string | undefined | null): Traceparent | undefined {
  if (header === undefined || header === null) return undefined;
  const version = header.slice(0, 2);
  if (!isHex(version, 2) || version === 'ff') return undefined;
  if (version === '00' ? header.length !== VERSION_00_LENGTH : header.length < VERSION_00_LENGTH) return undefined;
  if (header.length > VERSION_00_LENGTH && header[VERSION_00_LENGTH] !== '-') return undefined;
  const [, traceId, parentId, flags] = header.slice(0, VERSION_00_LENGTH).split('-');
  if (header[2] !== '-' || header[35] !== '-' || header[52] !== '-') return undefined;
  if (!isHex(traceId, 32) || isAllZero(traceId)) return undefined;
  if (!isHex(parentId, 16) || isAllZero(parentId)) return undefined;
  if (!isHex(flags, 2)) return undefined;
  return { version, traceId, parentId, flags };
}

/** `00-<trace id>-<parent id>-<flags>`, flags `01` (sampled) unless given. */
export function formatTraceparent({
  traceId,
  parentId,
  flags = '01',
}: {
  traceId: string;
  parentId: string;
  flags?: string;
}): string {
  return `00-${traceId}-${parentId}-${flags}`;
}

/** A random trace id: 16 bytes, lowercase hex, never all zeros. */
export function newTraceId(): string {
  return nonZeroHex(16);
}

/** A random span (parent) id: 8 bytes, lowercase hex, never all zeros. */
export function newSpanId(): string {
  return nonZeroHex(8);
}

function nonZeroHex(bytes: number): string {
  for (;;) {
    const hex = crypto.randomBytes(bytes).toString('hex');
    if (!isAllZero(hex)) return hex;
  }
}

function isHex(value: string | undefined, length: number): value is string {
  return value !== undefined && value.length === length && HEX.test(value);
}

function isAllZero(hex: string): boolean {
  return /^0+$/.test(hex);
}
