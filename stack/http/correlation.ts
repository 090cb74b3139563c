import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { logRequest, type ServiceName } from './request-log.ts';

/** The header when an environment names none (its first `correlation_headers` entry wins). */
export const DEFAULT_CORRELATION_HEADER = 'x-correlation-id';

/**
 * A caller's id is echoed only when it is a plain token: anything else (too long, spaces, control
 * characters) could forge log lines or headers downstream, so it is replaced by a fresh id.
 */
const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const current = new AsyncLocalStorage<string>();

/** Why a request failed, in words safe to log (no codes, tokens or user input beyond an id). */
const details = new WeakMap<ServerResponse, string>();

/** Adds a reason to the request's log line, e.g. why a callback was refused. */
export function noteForLog(res: ServerResponse, detail: string): void {
  details.set(res, detail);
}

/** The correlation id of the request being handled, for propagating it on outgoing calls. */
export function currentCorrelationId(): string | undefined {
  return current.getStore();
}

/** The caller's correlation id when it is a plain token, else a new one. */
export function correlationIdFor(req: IncomingMessage, header: string): string {
  const given = req.headers[header];
  const candidate = Array.isArray(given) ? given[0] : given;
  return candidate && SANE_ID.test(candidate) ? candidate : crypto.randomUUID();
}

/**
 * Wraps a request handler so that every response carries a correlation id and every request is
 * logged once. The header is set before the handler runs, so even error pages rendered deep inside
 * a library (oidc-provider) carry it.
 */
export function withCorrelation(
  service: ServiceName,
  header: string,
  handler: RequestListener,
  redactPath: (path: string) => string = p => p,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const correlationId = correlationIdFor(req, header);
    // Taken now: a mounted handler (the IdP's provider) rewrites req.url before the response ends.
    const path = redactPath(pathOnly(req.url));
    res.setHeader(header, correlationId);
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      logRequest({
        service,
        method: req.method ?? 'GET',
        path,
        // A socket closed before the response was sent has no status; 499 says "client went away".
        status: res.headersSent ? res.statusCode : 499,
        correlationId,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(details.has(res) ? { detail: details.get(res) } : {}),
      });
    };
    res.on('finish', log);
    res.on('close', log);
    current.run(correlationId, () => handler(req, res));
  };
}

/** The path without query or fragment: codes, states and tokens travel in the query and must never be logged. */
export function pathOnly(url: string | undefined): string {
  const raw = url ?? '/';
  const cut = raw.search(/[?#]/);
  return cut === -1 ? raw : raw.slice(0, cut);
}
