import crypto from 'node:crypto';

/** The fields of a W3C Trace Context `traceparent` header (https://www.w3.org/TR/trace-context/). */
export type Traceparent = { version: string; traceId: string; parentId: string; flags: string };

const HEX = /^[0-9a-f]+$/;
const ALL_ZERO = /^0+$/;

/**
 * Parses a `traceparent` the way the W3C spec tells a receiver to, or returns undefined when the
 * header must be ignored (and a new trace started): lowercase hex only; version `ff` is invalid;
 * version 00 is exactly 55 characters; a later version is read by its first four fields; trace id
 * and parent id must not be all zeros.
 */
export function parseTraceparent(header: string | undefined | null): Traceparent | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const version = value.slice(0, 2);
  if (version.length !== 2 || !HEX.test(version) || version === 'ff') return undefined;
  if (version === '00' ? value.length !== 55 : value.length < 55 || (value.length > 55 && value[55] !== '-'))
    return undefined;
  const [, traceId, parentId, flags] = value.slice(0, 55).split('-');
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  if (traceId?.length !== 32 || parentId?.length !== 16 || flags?.length !== 2) return undefined;
  if (![traceId, parentId, flags].every(part => HEX.test(part))) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return undefined;
  return { version, traceId, parentId, flags };
}

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
  return randomNonZeroHex(16);
}

/** A random span (parent) id: 8 bytes, lowercase hex, never all zeros. */
export function newSpanId(): string {
  return randomNonZeroHex(8);
}

function randomNonZeroHex(bytes: number): string {
  for (;;) {
    const hex = crypto.randomBytes(bytes).toString('hex');
    if (!ALL_ZERO.test(hex)) return hex;
  }
}
