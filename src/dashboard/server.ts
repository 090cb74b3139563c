import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthSettings } from '../coordinator/queue-health.ts';
import { checkpointInterval } from '../coordinator/stale-checkpoint.ts';
import type { QueueStore } from '../store/queue-store.ts';
import { apiAnswer } from './api.ts';
import { serveEvidence } from './evidence-route.ts';
import { serveAllureReport } from './report-route.ts';
import { serveCloseoutLog } from './closeout-log-route.ts';
import { serveProofFile } from './proof-file-route.ts';
import { HttpError, isStoreFailure, send, sendHtml, sendJson, statusOf } from './http-kit.ts';
import { ChangeFeed } from './change-feed.ts';
import { storeFileCheck } from './store-file.ts';
import { hostHeaderName, isLoopbackHost } from '../net/loopback.ts';
import { OWN_DIR, serveStatic, traceViewerDir } from './static-files.ts';
import { stampPage } from './views/layout.ts';
import { errorPage, renderView } from './views/pages.ts';
import { isApiPath, requestPathname, requestUrl } from './request-target.ts';

/** Routes that serve files by path, where a trailing slash is part of the path. */
const FILE_ROUTES = new Set(['evidence', 'allure', 'trace', 'static']);
/** Routes that serve the dashboard's own files, never the store's. */
const OWN_FILES = new Set(['trace', 'static', 'favicon.ico']);
export type DashboardOptions = {
  host: string;
  port: number;
  /** Checks the signatures of runs' attestations (PACKGATE_ATTEST_PUBLIC_KEY); without it they are not checked. */
  publicKey?: KeyObject;
  /** How often the change feed looks at the store, in ms. Default 1500. */
  pollMs?: number;
  /** governance.yaml's `queue:` settings for the queue health the Health view shows. Default: the defaults. */
  healthSettings?: HealthSettings;
};

export type RunningDashboard = { url: string; close(): Promise<void> };

/**
 * The dashboard's HTTP server: node:http and a switch over the path's first segment. Chosen over a
 * framework (fastify, hono, express): ten routes, all GET, no body parsing, no middleware to audit;
 * a framework would add a dependency tree for what forty lines do, and every route here is visible.
 *
 * Read-only by construction: the store is opened read-only, no route writes, and every method other
 * than GET and HEAD is answered 405 before any route is looked at.
 */
export async function startDashboard(store: QueueStore, options: DashboardOptions): Promise<RunningDashboard> {
  const pollMs = options.pollMs ?? 1500;
  const feed = new ChangeFeed(store, pollMs);
  const traceDir = traceViewerDir();
  // Bound to loopback, the dashboard answers only loopback names: see the Host check below.
  const loopbackOnly = isLoopbackHost(options.host);
  const checkStoreFile = storeFileCheck(store);
  const healthSettings = options.healthSettings ?? { checkpointInterval: checkpointInterval(undefined) };
  const context = (url: URL) => ({
    store,
    url,
    publicKey: options.publicKey,
    healthSettings,
    changeStamp: () => feed.current(),
  });
  // The store failure last said on the console: each open page polls, so one is said once, not per request.
  let storeFailureSaid: string | undefined;
  const server = http.createServer((req, res) => {
    void handle(req, res).then(
      // Answered from the store: it answers again. (The dashboard's own files need none.)
      () => OWN_FILES.has(requestPathname(req).split('/')[1]) || (storeFailureSaid = undefined),
      error => answerError(req, res, error),
    );
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      throw new HttpError(405, `the dashboard is read-only: ${req.method} is not allowed, only GET and HEAD`);
    }
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) reads nothing.
    const hostname = hostHeaderName(req.headers.host ?? '');
    if (loopbackOnly && !isLoopbackHost(hostname)) throw new HttpError(404, `no such host ${hostname}`);
    const url = requestUrl(req);
    const [first, ...rest] = url.pathname.split('/').slice(1);
    // `/runs/` is `/runs`, as on a static site: sent there, not read as a run with an empty id. File
    // routes keep their slashes (a folder of the trace viewer).
    if (url.pathname.length > 1 && url.pathname.endsWith('/') && !FILE_ROUTES.has(first ?? '')) {
      res.writeHead(308, { location: `${url.pathname.replace(/\/+$/, '') || '/'}${url.search}` });
      return void res.end();
    }
    // The dashboard's own files need no store: an error page still loads its style sheet.
    if (!OWN_FILES.has(first ?? '')) checkStoreFile?.();
    switch (first) {
      case 'api':
        if (rest[0] === 'events' && rest.length === 1) return feed.subscribe(req, res);
        return sendJson(res, 200, await apiAnswer(context(url), rest));
      case 'evidence':
        return serveEvidence(store, res, rest.join('/'));
      case 'allure':
        return serveAllureReport(store, res, rest.join('/'));
      case 'watch-logs':
        return serveCloseoutLog(store, res, rest);
      case 'proof-files':
        return serveProofFile(store, res, rest);
      case 'trace':
        return serveStatic(res, traceDir, rest.join('/'), true);
      case 'static':
        return serveStatic(res, OWN_DIR, rest.join('/'));
      case 'favicon.ico':
        return send(res, 204, 'image/x-icon', '');
      default: {
        // Taken before the view reads: a write made while it renders reloads the page, never slips by.
        // Read through the feed: no page's poll is then answered with a stamp older than its page's.
        const stamp = await feed.fresh();
        return sendHtml(res, 200, stampPage(await renderView(context(url), [first, ...rest]), stamp, pollMs));
      }
    }
  }

  function answerError(req: http.IncomingMessage, res: http.ServerResponse, error: unknown): void {
    const { status, code, message, parameter, meant } = statusOf(error);
    if (isStoreFailure(error) && error.message !== storeFailureSaid) {
      storeFailureSaid = error.message;
      process.stderr.write(
        `packgate dashboard: ${error.message}\n` +
          '  (said once; every page and API answer says it until the store answers again)\n',
      );
    }
    if (status === 500)
      process.stderr.write(
        `packgate dashboard: ${req.method} ${req.url}: ${String((error as Error)?.stack ?? error)}\n`,
      );
    if (res.headersSent) return void res.destroy();
    // By the path, not the Accept header: a page's error is a page for any client (curl, a link
    // opened by a tool sends */*), and the API's is JSON even to a browser.
    const pathname = requestPathname(req);
    if (isApiPath(pathname)) sendJson(res, status, { error: { code, message, parameter } });
    else sendHtml(res, status, errorPage(status, message, pathname, meant ?? null));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close: async () => {
      feed.close();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
