import type http from 'node:http';
import type { z } from 'zod';
import { PackgateError } from '../diagnostics/errors.ts';
import type { Html } from './html.ts';

/**
 * The pages' Content-Security-Policy: scripts and styles only from the dashboard itself, no inline
 * script, no plugins, never framed. Data shown as text can never run; this is the second wall.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Evidence files run in no page context of ours: a stored SVG or HTML with a script does nothing. */
export const EVIDENCE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export function send(
  res: http.ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-security-policy': PAGE_CSP,
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  // HEAD: the same headers, no body.
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value, null, 2) + '\n');
}

export function sendHtml(res: http.ServerResponse, status: number, page: Html): void {
  send(res, status, 'text/html; charset=utf-8', page.text);
}

/** An error the client caused (400, 404, 405), or the store the dashboard opened being gone (503), said in the API's error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 503,
    message: string,
    readonly parameter: string | null = null,
    /** The page a typo most likely meant (`/tasks/T-READY` for `/tasks/T-REDY`): the error page links it. */
    readonly meant: { label: string; path: string } | null = null,
  ) {
    super(message);
  }
}

/** A 404 naming what is missing, with the words of a "did you mean" and the page it points at, when there is one. */
export function notFound(what: string, meant?: { hint: string; label: string; path: string }): HttpError {
  return new HttpError(404, `no ${what}${meant ? `: ${meant.hint}` : ''}`, null, meant ?? null);
}

const ERROR_CODES = {
  400: 'INPUT_INVALID',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  503: 'STORE_UNAVAILABLE',
} as const;

/** The store failed to answer (a server gone, a file damaged): no fault of the request, nor of the dashboard. */
export function isStoreFailure(error: unknown): error is PackgateError {
  return error instanceof PackgateError && (error.code === 'STORE_UNAVAILABLE' || error.code === 'STORE_FAILED');
}

/** The status an error answers with: ours as they say, a store's unknown task 404, its failure 503, else 500. */
export function statusOf(error: unknown): {
  status: number;
  code: string;
  message: string;
  parameter: string | null;
  meant?: HttpError['meant'];
} {
  if (error instanceof HttpError)
    return {
      status: error.status,
      code: ERROR_CODES[error.status],
      message: error.message,
      parameter: error.parameter,
      meant: error.meant,
    };
  if (error instanceof PackgateError && error.code === 'TASK_UNKNOWN')
    return { status: 404, code: error.code, message: error.message.split('\n')[0], parameter: null };
  // The store's own words and what to do (a PostgreSQL server gone: check it is up): every page and
  // poll says it, where a 500 said only "see its console".
  if (isStoreFailure(error))
    return {
      status: 503,
      code: error.code,
      message: `${error.message.split('\n')[0]}${error.hint ? `: ${error.hint}` : ''}`,
      parameter: null,
    };
  return {
    status: 500,
    code: 'INTERNAL',
    message: 'the dashboard failed to read the store; see its console',
    parameter: null,
  };
}

/**
 * The query string, checked: every parameter known, each valid, at most once (empty ones are left out). A bad one is a 400
 * naming it (`limit: Too big: expected number to be <=200`).
 */
export function parseQuery<S extends z.ZodObject>(url: URL, schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    // Unknown even when empty: `?colour=` names no filter, as `?colour=red` does not.
    if (!(key in schema.shape))
      throw new HttpError(400, `query parameter ${key}: not a parameter of this endpoint`, key);
    if (key in raw) throw new HttpError(400, `query parameter ${key}: given more than once`, key);
    // A filter form sends its empty fields: an empty value is a filter not given.
    if (value !== '') raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const parameter = issue.code === 'unrecognized_keys' ? String(issue.keys[0]) : String(issue.path[0] ?? 'query');
  const message = issue.code === 'unrecognized_keys' ? 'not a parameter of this endpoint' : issue.message;
  throw new HttpError(400, `query parameter ${parameter}: ${message}`, parameter);
}

/**
 * A run id as the dashboard writes it in its URLs: decimal, no leading zero, no sign, exponent or
 * hex (`Number()` would read `1e0`, `0x1` and `1.0` as run 1, so one run would have many URLs).
 */
export function parseRunId(text: string): number | undefined {
  const id = /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}
