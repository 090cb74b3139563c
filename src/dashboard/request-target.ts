import type http from 'node:http';
import { HttpError, notFound, parseRunId } from './http-kit.ts';

const BASE = 'http://dashboard.invalid';

/**
 * The request's path and query. A target that begins with `/` is a path (origin-form), whatever
 * follows: resolved against a base, `//queue` (or `/\queue`) would be a scheme-relative URL whose
 * host is `queue`, served as `/`, and `//api/tasks` the page `/tasks`. A path that begins with an
 * empty segment names nothing the dashboard serves: a 404 saying which path to send. A target no URL
 * parses (`http://[`), or one that is neither a path nor an absolute URL (`queue`, `*`), is the
 * client's mistake, a 400 naming it, not the store's failure with a stack on the console.
 */
export function requestUrl(req: http.IncomingMessage): URL {
  const target = req.url ?? '/';
  const url = parseTarget(target);
  if (!url)
    throw new HttpError(
      400,
      `request target ${target} is not a URL the dashboard can read: send a path such as /queue`,
    );
  if (url.pathname.startsWith('//')) {
    const meant = url.pathname.replace(/^\/+/, '/');
    throw new HttpError(
      404,
      `no ${isApiPath(meant) ? 'API endpoint' : 'page'} ${url.pathname}: the path begins with //, which names nothing here; ` +
        `send ${meant}${url.search}`,
    );
  }
  return url;
}

/**
 * The path an error's answer is chosen by (JSON under /api/, else a page, and the view it links back
 * to), leading slashes taken as one, so that `//api/tasks` is answered in JSON. For a target no URL
 * parses, the path as written after its scheme and authority, so that `http://[/api/tasks` still
 * answers JSON.
 */
export function requestPathname(req: http.IncomingMessage): string {
  const url = parseTarget(req.url ?? '/');
  const pathname = url
    ? url.pathname
    : (req.url ?? '').replace(/^([a-z][a-z0-9+.-]*:)?\/\/[^/?#]*/i, '').split(/[?#]/)[0];
  return pathname.replace(/^\/*/, '/');
}

/** Whether a path is the JSON API's. */
export function isApiPath(pathname: string): boolean {
  return pathname.split('/')[1] === 'api';
}

/**
 * A target as a URL on the dashboard: a path as a path (never an authority), else an absolute URL
 * (RFC 9112's origin-form and absolute-form). Anything else, resolved against a base, would be a
 * relative reference served as if it were a path: `queue` as /queue.
 */
function parseTarget(target: string): URL | undefined {
  try {
    if (target.startsWith('/')) return new URL(BASE + target);
    return /^[a-z][a-z0-9+.-]*:/i.test(target) ? new URL(target) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A task id from a path segment, percent-decoded as a browser encodes what was typed in the address
 * bar, so that a 404 names the id that was asked for (`no task ✓`, not `no task %E2%9C%93`). A segment
 * that does not decode (`%E2` alone) is kept as sent. Run ids are not decoded: one is written in
 * decimal, as the dashboard's links write it.
 */
export function taskIdSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The task and number of a path naming one of a task's records, `<task>/<number>` (a closeout, an
 * event), or a 404 saying which path to send: anything more, or a number not in decimal, names none.
 */
export function taskRecordTarget(rest: string[], what: string): { taskId: string; id: number } {
  const [task, number, ...more] = rest;
  const id = parseRunId(number ?? '');
  if (!task || id === undefined || more.length) throw notFound(what);
  return { taskId: taskIdSegment(task), id };
}
