import { z } from 'zod';

/**
 * One line of the platform proxy's access log: one per request or websocket upgrade that reached
 * the proxy, never a query, header value or cookie. The reference stack's proxy writes these (on
 * stdout, and from its log endpoint); an environment's `urls.access_log` answers with them, which
 * the `accessLog` fixture reads.
 */
export const accessLogLineSchema = z.strictObject({
  ts: z.iso.datetime(),
  service: z.literal('proxy'),
  /** The route table's name, `control` for the proxy's own endpoints, `unrouted` for an unknown host. */
  route: z.string(),
  /** The service the request went to, `proxy` when the proxy answered it itself. */
  upstream: z.string(),
  method: z.string(),
  host: z.string(),
  /** The path as the caller sent it (before any prefix is stripped), without query. */
  path: z.string(),
  /** The answer's status: for a websocket upgrade 101 or the refusal's; 499 when the caller left first. */
  status: z.number().int(),
  /** Absent only with the correlation-not-logged fault. */
  correlationId: z.string().optional(),
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  ms: z.number(),
});
export type AccessLogLine = z.output<typeof accessLogLineSchema>;

/**
 * What an access log is asked for, each as its query parameter (`correlation_id`, `trace_id`,
 * `route`, `limit`: the newest that many). Deployments need answer only the first two.
 */
export type AccessLogQuery = { correlationId?: string; traceId?: string; route?: string; limit?: number };

/** What an access log endpoint answers: the lines matching the query, newest last. */
export const accessLogAnswerSchema = z.strictObject({ lines: z.array(accessLogLineSchema) });
export type AccessLogAnswer = z.output<typeof accessLogAnswerSchema>;
