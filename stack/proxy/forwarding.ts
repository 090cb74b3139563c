import type { IncomingMessage } from 'node:http';
import { correlationIdFor } from '../http/correlation.ts';
import { formatTraceparent } from '../../src/trace/trace-context.ts';
import { proxySpanFor, type ProxySpan } from './trace-context.ts';

export type ForwardingOptions = {
  correlationHeader: string;
  /** The scheme the proxy is reached by, for x-forwarded-proto. */
  scheme: 'http' | 'https';
  /** traceparent-dropped: send no traceparent upstream and answer no traceresponse. */
  dropTraceparent: boolean;
  /** traceparent-passthrough: send the caller's traceparent (and tracestate) upstream untouched. */
  passTraceparentThrough: boolean;
};

export type Forwarding = {
  correlationId: string;
  span: ProxySpan;
  /** Headers the proxy adds to the answer, whoever produces it (upstream, or the proxy refusing). */
  responseHeaders: Record<string, string>;
};

/**
 * Rewrites a request's headers for its trip upstream, in place (http-proxy-3 forwards req.headers):
 * 1. Correlation id: the caller's when it is a plain token, else a new one; sent upstream and answered.
 * 2. Trace context: continue the caller's trace with the proxy's own span, or start a new trace
 *    (and drop its tracestate, which belonged to the discarded one); answer traceresponse.
 * 3. x-forwarded-host, -proto and -for, set afresh: the proxy is the edge, and what a caller sent
 *    in them is not to be trusted.
 */
export function prepareForwarding(req: IncomingMessage, options: ForwardingOptions): Forwarding {
  const headers = req.headers;
  const correlationId = correlationIdFor(req, options.correlationHeader);
  headers[options.correlationHeader] = correlationId;
  const responseHeaders: Record<string, string> = { [options.correlationHeader]: correlationId };

  // Two traceparent headers are malformed by the spec: joined, they fail to parse and start a new trace.
  const sent = headers.traceparent;
  const incoming = Array.isArray(sent) ? sent.join(', ') : sent;
  const span = proxySpanFor(incoming);
  if (options.dropTraceparent) {
    delete headers.traceparent;
  } else {
    responseHeaders.traceresponse = formatTraceparent({
      traceId: span.traceId,
      parentId: span.spanId,
      flags: span.flags,
    });
    if (!(options.passTraceparentThrough && incoming !== undefined)) {
      headers.traceparent = formatTraceparent({ traceId: span.traceId, parentId: span.spanId, flags: span.flags });
      if (!span.continued) delete headers.tracestate;
    }
  }

  headers['x-forwarded-host'] = headers.host ?? '';
  headers['x-forwarded-proto'] = options.scheme;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  return { correlationId, span, responseHeaders };
}
