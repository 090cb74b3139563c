import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { notFound, send } from './http-kit.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
};

/** The dashboard's own script and style sheet (no inline script: the CSP forbids it). */
const OWN_DIR = path.join(import.meta.dirname, 'static');

/**
 * Playwright's own trace viewer, as playwright-core ships it (the one `npx playwright show-trace`
 * serves): the same version as the runner that wrote the traces, offline, nothing to install.
 */
export function traceViewerDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('playwright-core/package.json')), 'lib/vite/traceViewer');
}

/**
 * The trace viewer's policy: its own scripts only, as for the pages, plus what it needs to run (its
 * service worker, styles it sets inline, images of snapshots, and its snapshot frames, ours).
 */
const TRACE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * A file under `root` named by a URL path: resolved, then required to stay inside `root` once
 * symlinks are resolved too; anything else is a 404.
 */
export function serveStatic(res: http.ServerResponse, root: string, rest: string, trace = false): void {
  let relative: string;
  try {
    relative = decodeURIComponent(rest);
  } catch {
    throw notFound('such file');
  }
  if (relative.includes('\0')) throw notFound('such file');
  const base = fs.realpathSync(root);
  const file = path.resolve(base, relative || 'index.html');
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    throw notFound('such file');
  }
  if (!real.startsWith(base + path.sep) || !fs.statSync(real).isFile()) throw notFound('such file');
  const headers: Record<string, string> = {
    'content-security-policy': trace ? TRACE_CSP : "default-src 'none'; frame-ancestors 'none'",
  };
  // The trace viewer's service worker must control /trace/ and what its snapshots load.
  if (trace && real.endsWith('sw.bundle.js')) headers['service-worker-allowed'] = '/trace/';
  if (trace) headers['x-frame-options'] = 'SAMEORIGIN';
  send(res, 200, MIME[path.extname(real)] ?? 'application/octet-stream', fs.readFileSync(real), headers);
}

export { OWN_DIR };
