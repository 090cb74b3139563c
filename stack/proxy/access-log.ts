import type { AccessLogLine, AccessLogQuery } from '../../src/schema/access-log.ts';

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
