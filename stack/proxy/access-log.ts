/** One line per request or websocket upgrade that reached the proxy. Never a query, header value or cookie. */
export type AccessLogLine = {
  ts: string;
  service: 'proxy';
  /** The route table's name, `control` for the proxy's own endpoints, `unrouted` for an unknown host. */
  route: string;
  /** The service the request went to, `proxy` when the proxy answered it itself. */
  upstream: string;
  method: string;
  host: string;
  /** The path as the caller sent it (before any prefix is stripped), without query. */
  path: string;
  /** The answer's status; for a websocket upgrade 101, or the status it was refused with. */
  status: number;
  /** Absent only with the correlation-not-logged fault. */
  correlationId?: string;
  traceId: string;
  spanId: string;
  ms: number;
};

export type AccessLogQuery = { correlationId?: string; traceId?: string; route?: string; limit?: number };

/**
 * The proxy's access log: each line goes to stdout as JSON (the server log a gate collects) and
 * into a ring of the newest lines, which specs read over HTTP to prove how a request was routed.
 */
export class AccessLog {
  readonly #lines: AccessLogLine[] = [];

  constructor(
    private readonly capacity = 5000,
    private readonly write: (text: string) => void = text => void process.stdout.write(text),
  ) {}

  record(line: AccessLogLine): void {
    this.#lines.push(line);
    if (this.#lines.length > this.capacity) this.#lines.splice(0, this.#lines.length - this.capacity);
    this.write(JSON.stringify(line) + '\n');
  }

  /** Matching lines, newest last; `limit` keeps the newest that many. */
  query({ correlationId, traceId, route, limit }: AccessLogQuery): AccessLogLine[] {
    const lines = this.#lines.filter(
      l =>
        (correlationId === undefined || l.correlationId === correlationId) &&
        (traceId === undefined || l.traceId === traceId) &&
        (route === undefined || l.route === route),
    );
    return limit === undefined ? lines : lines.slice(Math.max(0, lines.length - limit));
  }
}
