import { newSpanId, newTraceId, parseTraceparent } from '../../src/trace/trace-context.ts';

/** The trace a request continues (or starts) and the proxy's own span in it. */
export type ProxySpan = { traceId: string; spanId: string; flags: string; continued: boolean };

/**
 * The proxy's span for a request: in the caller's trace when its traceparent is valid (W3C rules,
 * src/trace/), else in a new sampled trace. The span id is always new: the proxy is a hop of its own.
 */
export function proxySpanFor(header: string | undefined): ProxySpan {
  const parent = parseTraceparent(header);
  if (parent) return { traceId: parent.traceId, spanId: newSpanId(), flags: parent.flags, continued: true };
  return { traceId: newTraceId(), spanId: newSpanId(), flags: '01', continued: false };
}
