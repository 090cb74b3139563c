import http from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { pathOnly, withCorrelation } from './correlation.ts';
import type { ServiceName } from './request-log.ts';
import { sendJson } from './respond.ts';

export type Health = { status: number; body: Record<string, unknown> };

export type ServiceOptions = {
  name: ServiceName;
  correlationHeader: string;
  /** What GET /healthz answers; `{status:"ok"}` with 200 unless a fault says otherwise. */
  health?: () => Health;
  /** Rewrites logged paths (the IdP hides interaction uids). */
  redactPath?: (path: string) => string;
  /** The replica's revision, answered as x-revision, where the service has replicas. */
  revision?: number;
};

/**
 * One of the stack's services as its own HTTP server: every response says who served it
 * (`x-served-by`), `/healthz` and `/__echo` are answered the same way everywhere, and every request
 * gets a correlation id and one log line. The proxy's tests use `/__echo` to see exactly what
 * arrived upstream after routing and rewriting.
 */
export function createService(options: ServiceOptions, handler: RequestListener): http.Server {
  const { name, correlationHeader } = options;
  const health = options.health ?? (() => ({ status: 200, body: { status: 'ok', service: name } }));
  const serve: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('x-served-by', name);
    if (options.revision !== undefined) res.setHeader('x-revision', String(options.revision));
    const path = pathOnly(req.url);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/healthz') {
        const { status, body } = health();
        return sendJson(res, status, body);
      }
      if (path === '/__echo') return sendJson(res, 200, echo(name, req, path, correlationHeader));
    }
    handler(req, res);
  };
  return http.createServer(withCorrelation(name, correlationHeader, serve, options.redactPath));
}

/** What arrived: the headers that routing, tracing and correlation are about, null when absent. */
function echo(service: ServiceName, req: IncomingMessage, path: string, correlationHeader: string) {
  const names = [
    'traceparent',
    'tracestate',
    correlationHeader,
    'x-forwarded-host',
    'x-forwarded-proto',
    'x-forwarded-for',
  ];
  const header = (name: string) => {
    const value = req.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  return { service, method: req.method, path, headers: Object.fromEntries(names.map(n => [n, header(n)])) };
}
