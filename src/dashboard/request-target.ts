import type http from 'node:http';
import { HttpError } from './http-kit.ts';

const BASE = 'http://dashboard.invalid';

/**
 * The request's path and query. A target no URL parses (`http://[`, `//[`: an authority that is no
 * host) is the client's mistake, a 400 naming it, not the store's failure with a stack on the console.
 */
export function requestUrl(req: http.IncomingMessage): URL {
  const target = req.url ?? '/';
  try {
    return new URL(target, BASE);
  } catch {
    throw new HttpError(
      400,
      `request target ${target} is not a URL the dashboard can read: send a path such as /queue`,
    );
  }
}

/**
 * The path an error's answer is chosen by (JSON under /api/, else a page). For a target no URL parses,
 * the path as written after its scheme and authority, so that `http://[/api/tasks` still answers JSON.
 */
export function requestPathname(req: http.IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', BASE).pathname;
  } catch {
    const path = (req.url ?? '').replace(/^([a-z][a-z0-9+.-]*:)?\/\/[^/?#]*/i, '');
    return path.split(/[?#]/)[0];
  }
}
