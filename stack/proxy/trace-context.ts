import crypto from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/), the part a proxy needs: read the
 * caller's `traceparent`, continue its trace with a span of our own, or start a new trace when the
 * header is absent or malformed. Pure apart from the random ids.
 */

export type TraceParent = {
  /** Two lowercase hex digits; `00` is the version this proxy speaks. */
  version: string;
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero: the caller's span. */
  parentId: string;
  /** Two lowercase hex digits; bit 0 is "sampled". */
  flags: string;
};

/** The trace a request continues (or starts) and the proxy's own span in it. */
export type ProxySpan = { traceId: string; spanId: string; flags: string; continued: boolean };

const HEX = /^[0-9a-f]+$/;
/** version-traceid-parentid-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2. */
const VERSION_00_LENGTH = 55;

/**
 * The caller's traceparent, or undefined when it must be ignored:
 * 1. The version is two lowercase hex digits and not `ff` (forbidden by the spec).
 * 2. Version `00` is exactly 55 characters; a higher version is read by its first four fields
 *    (at least 55 characters, and a `-` after the flags if anything follows), as the spec asks
 *    so that a newer format can still be continued.
 * 3. Trace id 32 and parent id 16 lowercase hex digits, neither all zero; flags 2 hex digits.
 * Uppercase hex is invalid, not normalised: the spec allows only lowercase.
 */
export function parseTraceparent(header: string | undefined): TraceParent | undefined {
  if (header === undefined) return undefined;
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

/**
 * The proxy's span for a request: in the caller's trace when its traceparent is valid, else in a
 * new sampled trace. The span id is always new: the proxy is a hop of its own.
 */
export function proxySpanFor(header: string | undefined): ProxySpan {
  const parent = parseTraceparent(header);
  if (parent) return { traceId: parent.traceId, spanId: newSpanId(), flags: parent.flags, continued: true };
  return { traceId: newTraceId(), spanId: newSpanId(), flags: '01', continued: false };
}

/** `00-<trace id>-<span id>-<flags>`: the traceparent sent upstream, and the traceresponse answered. */
export function formatTraceparent(span: Pick<ProxySpan, 'traceId' | 'spanId' | 'flags'>): string {
  return `00-${span.traceId}-${span.spanId}-${span.flags}`;
}

export function newTraceId(): string {
  return nonZeroHex(16);
}

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
