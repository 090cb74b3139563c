import { expect, test } from '@playwright/test';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from '../../src/trace/trace-context.ts';
import { proxySpanFor } from '../../stack/proxy/trace-context.ts';

/**
 * W3C Trace Context (the core's src/trace/) and the proxy's choice of span, as pure modules (no stack
 * needed). test/stack/proxy.spec.ts proves the same rules over HTTP through a running proxy.
 */

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${PARENT}-01`;

test.describe('parseTraceparent', () => {
  test('reads a valid version-00 header into its four fields', () => {
    expect(parseTraceparent(VALID)).toEqual({ version: '00', traceId: TRACE, parentId: PARENT, flags: '01' });
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-00`)?.flags, 'an unsampled trace is still a trace').toBe('00');
  });

  for (const [why, header] of [
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['an all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['uppercase hex in the trace id', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['uppercase hex in the parent id', `00-${TRACE}-${PARENT.toUpperCase()}-01`],
    ['uppercase hex in the flags', `00-${TRACE}-${PARENT}-0A`],
    ['uppercase hex in the version', `0A-${TRACE}-${PARENT}-01`],
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['a trace id one digit short', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['a trace id one digit long', `00-${TRACE}a-${PARENT}-01`],
    ['a parent id one digit short', `00-${TRACE}-${PARENT.slice(1)}-01`],
    ['one-digit flags', `00-${TRACE}-${PARENT}-1`],
    ['three-digit flags', `00-${TRACE}-${PARENT}-011`],
    ['version 00 with a trailing field', `${VALID}-extra`],
    ['a one-digit version', `0-${TRACE}-${PARENT}-01`],
    ['non-hex characters', `00-${TRACE.slice(0, 31)}g-${PARENT}-01`],
    ['underscores for dashes', `00_${TRACE}_${PARENT}_01`],
    ['two headers joined', `${VALID}, ${VALID}`],
    ['surrounding spaces', ` ${VALID}`],
    ['an empty value', ''],
  ] as const) {
    test(`refuses ${why}`, () => {
      expect(parseTraceparent(header)).toBeUndefined();
    });
  }

  test('reads a future version by its first four fields, whatever follows a dash', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01`)).toEqual({
      version: '01',
      traceId: TRACE,
      parentId: PARENT,
      flags: '01',
    });
    expect(parseTraceparent(`cc-${TRACE}-${PARENT}-01-what-the-future-holds`)?.traceId).toBe(TRACE);
  });

  test('refuses a future version whose extra content does not start with a dash, or that is too short', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01x`)).toBeUndefined();
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-1`)).toBeUndefined();
  });

  test('refuses an absent header', () => {
    expect(parseTraceparent(undefined)).toBeUndefined();
  });
});

test.describe('proxySpanFor', () => {
  test("continues a valid caller's trace with a new span and the caller's flags", () => {
    const span = proxySpanFor(`00-${TRACE}-${PARENT}-00`);
    expect(span).toMatchObject({ traceId: TRACE, flags: '00', continued: true });
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.spanId).not.toBe(PARENT);
  });

  test('starts a new sampled trace for a malformed or absent header', () => {
    for (const header of [undefined, `00-${'0'.repeat(32)}-${PARENT}-01`, 'garbage']) {
      const span = proxySpanFor(header);
      expect(span.continued).toBe(false);
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.traceId).not.toBe(TRACE);
      expect(span.flags).toBe('01');
    }
  });

  test('answers version 00 whatever version it continued', () => {
    const span = proxySpanFor(`42-${TRACE}-${PARENT}-01-future`);
    expect(formatTraceparent({ traceId: span.traceId, parentId: span.spanId, flags: span.flags })).toBe(
      `00-${TRACE}-${span.spanId}-01`,
    );
  });
});

test('new ids are lowercase hex of the right length, never all zero, and differ', () => {
  const traces = new Set(Array.from({ length: 50 }, newTraceId));
  const spans = new Set(Array.from({ length: 50 }, newSpanId));
  expect(traces.size).toBe(50);
  expect(spans.size).toBe(50);
  for (const id of traces) expect(parseTraceparent(`00-${id}-${PARENT}-01`), id).toBeDefined();
  for (const id of spans) expect(parseTraceparent(`00-${TRACE}-${id}-01`), id).toBeDefined();
});
