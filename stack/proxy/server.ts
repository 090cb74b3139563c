import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { FAULTS, type FaultSet } from '../fault-ids.ts';
import { pathOnly } from '../http/correlation.ts';
import { isClientHangUp } from '../http/hang-up.ts';
import { sendJson } from '../http/respond.ts';
import { refuseUpgrade } from '../http/upgrade-refusal.ts';
import type { AccessLog } from './access-log.ts';
import { prepareForwarding, type Forwarding } from './forwarding.ts';
import {
  forwardedUrl,
  matchRoute,
  ROUTES,
  type HostKind,
  type HostTable,
  type Route,
  type Upstream,
} from './routes.ts';

export type PlatformProxyOptions = {
  hosts: HostTable;
  scheme: 'http' | 'https';
  /** Base URL of each service, e.g. http://127.0.0.1:41234. */
  upstreams: Record<Upstream, string>;
  correlationHeader: string;
  faults: FaultSet;
  accessLog: AccessLog;
  /** Answers the stack's control endpoints; false when the path is not one. */
  handleControl: (res: ServerResponse, url: URL, method: string) => boolean;
  /** Added to every answer on https, as an ingress does; undefined for none. */
  hsts?: string;
  /** Why a service has no ready replica to route to; undefined when it has one. */
  unready?: (upstream: Upstream) => string | undefined;
  /** Routes an ingress's rules send to another service than their own (a misconfigured ingress). */
  reroute?: Partial<Record<Route['name'], Upstream>>;
};

export type PlatformProxy = {
  handleRequest: (req: IncomingMessage, res: ServerResponse) => void;
  handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  close(): void;
};

/** Where a request went, for its access-log line. */
type Destination = { route: string; upstream: string };

const UNROUTED: Destination = { route: 'unrouted', upstream: 'proxy' };
const CONTROL: Destination = { route: 'control', upstream: 'proxy' };

const WEBSOCKET_ROUTES = ROUTES.filter(r => r.websocket)
  .map(r => `${r.prefix} on the ${r.host} host`)
  .join(', ');

/**
 * The platform proxy in front of every service users reach: routes by Host and path (routes.ts),
 * forwards over real HTTP and websocket upgrades with http-proxy-3, and on every request adds the
 * correlation id, trace context and forwarding headers (forwarding.ts) and writes one access-log line.
 */
export function createPlatformProxy(options: PlatformProxyOptions): PlatformProxy {
  const { hosts, scheme, upstreams, faults, accessLog } = options;
  const proxy = createProxyServer({ proxyTimeout: 30_000 });
  // Keep-alive to the services: one loopback connection per request would cost more than the hop.
  const agent = new http.Agent({ keepAlive: true });
  /** Pending upgrades, so the upstream's answer (101 or a refusal) can be logged and decorated. */
  const upgrades = new WeakMap<IncomingMessage, { forwarding: Forwarding; answered: (status: number) => void }>();

  // Registered before http-proxy-3 registers its own listeners on the upstream request, so the
  // correlation id and traceresponse are added to the headers it then copies to the client.
  proxy.on('proxyReqWs', (proxyReq, req) => {
    const pending = upgrades.get(req);
    if (!pending) return;
    proxyReq.on('upgrade', proxyRes => {
      Object.assign(proxyRes.headers, pending.forwarding.responseHeaders);
      pending.answered(101);
    });
    proxyReq.on('response', proxyRes => {
      Object.assign(proxyRes.headers, pending.forwarding.responseHeaders);
      pending.answered(proxyRes.statusCode ?? 502);
    });
  });
  // Errors are handled per call (callbacks below). What arrives here is mostly the client's socket
  // during a websocket (a closed tab: EPIPE, ECONNRESET), which is no failure; anything else is said.
  proxy.on('error', (error, req) => {
    if (isClientHangUp(error, req.socket)) return;
    process.stderr.write(`packgate stack proxy: ${req.method ?? 'GET'} ${pathOnly(req.url)}: ${error.message}\n`);
  });

  /** The kind of host a request names; the proxy-routes-any-host fault routes unknown ones as the app's. */
  const hostKindOf = (req: IncomingMessage): HostKind | undefined =>
    hosts.kindOf(req.headers.host, scheme) ?? (faults.has(FAULTS.proxyRoutesAnyHost) ? 'app' : undefined);

  const forwardingOptions = {
    correlationHeader: options.correlationHeader,
    scheme,
    dropTraceparent: faults.has(FAULTS.traceparentDropped),
    passTraceparentThrough: faults.has(FAULTS.traceparentPassthrough),
  };

  function logLine(req: IncomingMessage, path: string, forwarding: Forwarding, started: number) {
    return (destination: Destination, status: number) =>
      accessLog.record({
        ts: new Date().toISOString(),
        service: 'proxy',
        ...destination,
        method: req.method ?? 'GET',
        host: req.headers.host ?? '',
        path,
        status,
        ...(faults.has(FAULTS.correlationNotLogged) ? {} : { correlationId: forwarding.correlationId }),
        traceId: forwarding.span.traceId,
        spanId: forwarding.span.spanId,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
  }

  function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    // Taken before forwarding headers are added and before the prefix is stripped.
    const path = pathOnly(req.url);
    const host = hostKindOf(req);
    const forwarding = prepareForwarding(req, forwardingOptions);
    for (const [name, value] of Object.entries(forwarding.responseHeaders)) res.setHeader(name, value);
    if (options.hsts && scheme === 'https') res.setHeader('strict-transport-security', options.hsts);

    let destination = UNROUTED;
    const log = logLine(req, path, forwarding, started);
    let logged = false;
    const logOnce = () => {
      if (logged) return;
      logged = true;
      // A socket closed before an answer was sent has no status; 499 says "client went away".
      log(destination, res.headersSent ? res.statusCode : 499);
    };
    res.on('finish', logOnce);
    res.on('close', logOnce);

    if (host === 'app') {
      // Answered here, before routing: the ready path is the environment's, wherever it points.
      destination = CONTROL;
      res.setHeader('x-served-by', 'proxy');
      if (options.handleControl(res, new URL(req.url ?? '/', 'http://control'), req.method ?? 'GET')) return;
      res.removeHeader('x-served-by');
      destination = UNROUTED;
    }
    const route = host && matchRoute(host, path);
    if (!route) return refuseRequest(res, host, hosts);

    const upstream = options.reroute?.[route.name] ?? route.upstream;
    destination = { route: route.name, upstream };
    const unready = options.unready?.(upstream);
    if (unready) {
      res.setHeader('x-served-by', 'proxy');
      return sendJson(res, 503, {
        error: 'service_unavailable',
        message: `no ready replica of the ${upstream} service: ${unready}`,
      });
    }
    req.url = forwardedUrl(req.url ?? '/', stripFor(route, faults));
    proxy.web(req, res, { target: upstreams[upstream], agent }, error => {
      // A client that hung up mid-request or mid-response: nothing failed, and no one to answer.
      if (isClientHangUp(error, req.socket)) return;
      upstreamFailed(req.method, path, route, error);
      if (req.socket.destroyed) return;
      if (res.headersSent) return void res.destroy();
      res.setHeader('x-served-by', 'proxy');
      sendJson(res, 502, {
        error: 'bad_gateway',
        message: `the ${route.upstream} service did not answer: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
      });
    });
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A client that resets mid-handshake must not take the stack down.
    socket.on('error', () => socket.destroy());
    const started = performance.now();
    const path = pathOnly(req.url);
    const host = hostKindOf(req);
    const forwarding = prepareForwarding(req, forwardingOptions);
    const log = logLine(req, path, forwarding, started);
    const refuse = (destination: Destination, status: number, body: Record<string, unknown>) => {
      refuseUpgrade(socket, status, body, { ...forwarding.responseHeaders, 'x-served-by': 'proxy' });
      log(destination, status);
    };

    const route = host && matchRoute(host, path);
    if (!host) return refuse(UNROUTED, 421, misdirected(hosts));
    if (!route || !route.websocket)
      return refuse({ route: route ? route.name : 'unrouted', upstream: 'proxy' }, 404, {
        error: 'not_found',
        message: `websocket upgrades are forwarded only on ${WEBSOCKET_ROUTES}, not on ${path}`,
      });
    if (faults.has(FAULTS.proxyDropsWsUpgrade))
      return refuse({ route: route.name, upstream: 'proxy' }, 502, {
        error: 'bad_gateway',
        message: 'the proxy does not forward websocket upgrades',
      });

    let answered = false;
    upgrades.set(req, {
      forwarding,
      answered: status => {
        answered = true;
        log({ route: route.name, upstream: route.upstream }, status);
      },
    });
    req.url = forwardedUrl(req.url ?? '/', stripFor(route, faults));
    proxy.ws(req, socket, head, { target: upstreams[route.upstream] }, error => {
      // After a 101 the connection belongs to the websocket; an error then just ends it.
      if (answered || isClientHangUp(error, socket)) return;
      upstreamFailed(req.method, path, route, error);
      refuse({ route: route.name, upstream: route.upstream }, 502, {
        error: 'bad_gateway',
        message: `the ${route.upstream} service did not answer the upgrade: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
      });
    });
  }

  return { handleRequest, handleUpgrade, close: () => agent.destroy() };
}

/** An upstream that failed a request: one line on stderr, the stack's server log, naming where it went. */
function upstreamFailed(method: string | undefined, path: string, route: Route, error: Error): void {
  process.stderr.write(
    `packgate stack proxy: ${method ?? 'GET'} ${path}: route ${route.name} to the ${route.upstream} service failed: ${error.message}\n`,
  );
}

/** The prefix to strip; the notebook-rewrite-broken fault forgets the notebooks one. */
function stripFor(route: Route, faults: FaultSet): string | undefined {
  if (route.name === 'notebooks' && faults.has(FAULTS.notebookRewriteBroken)) return undefined;
  return route.strip;
}

function refuseRequest(res: ServerResponse, host: string | undefined, hosts: HostTable): void {
  res.setHeader('x-served-by', 'proxy');
  if (!host) return sendJson(res, 421, misdirected(hosts));
  // Only a request target that is not a path (`*`, an absolute URL) matches no route on a known host.
  sendJson(res, 400, { error: 'bad_request', message: 'the request target must be a path starting with "/"' });
}

function misdirected(hosts: HostTable): Record<string, unknown> {
  return {
    error: 'misdirected_request',
    message: `this proxy serves only ${hosts.known().join(' and ')}; send the request with one of them as Host`,
    hosts: hosts.known(),
  };
}
