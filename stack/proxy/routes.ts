/** The services behind the platform proxy. */
export type Upstream = 'app' | 'api' | 'notebook' | 'terminal' | 'idp';

/** Which public host a request was addressed to. */
export type HostKind = 'app' | 'api' | 'auth' | 'notebooks';

export type Route = {
  name: 'api-host' | 'app-api' | 'notebooks' | 'terminals' | 'app' | 'auth-host' | 'notebooks-host';
  host: HostKind;
  /** Matches paths that start with it. */
  prefix: string;
  upstream: Upstream;
  /** Removed from the front of the path before forwarding. */
  strip?: string;
  /** Whether websocket upgrades on this route are forwarded. */
  websocket: boolean;
};

/** Where the app's host serves the notebooks, through the proxy; links to a notebook start with it. */
export const NOTEBOOKS_PATH = '/notebooks';

/** docs/reference-stack.md, "Platform proxy": first match wins. */
export const ROUTES: readonly Route[] = [
  { name: 'api-host', host: 'api', prefix: '/', upstream: 'api', websocket: false },
  // The hosts an ingress gives the IdP and the notebooks in deployment shape (environments/parity.yaml).
  { name: 'auth-host', host: 'auth', prefix: '/', upstream: 'idp', websocket: false },
  { name: 'notebooks-host', host: 'notebooks', prefix: '/', upstream: 'notebook', websocket: false },
  { name: 'app-api', host: 'app', prefix: '/api/', upstream: 'api', strip: '/api', websocket: false },
  {
    name: 'notebooks',
    host: 'app',
    prefix: `${NOTEBOOKS_PATH}/`,
    upstream: 'notebook',
    strip: NOTEBOOKS_PATH,
    websocket: false,
  },
  { name: 'terminals', host: 'app', prefix: '/terminals/', upstream: 'terminal', strip: '/terminals', websocket: true },
  { name: 'app', host: 'app', prefix: '/', upstream: 'app', websocket: false },
];

export function matchRoute(host: HostKind, path: string): Route | undefined {
  return ROUTES.find(route => route.host === host && path.startsWith(route.prefix));
}

/** The request target with the route's prefix removed, query kept: `/api/v1/me?x=1` -> `/v1/me?x=1`. */
export function forwardedUrl(url: string, strip: string | undefined): string {
  if (!strip || !url.startsWith(strip)) return url;
  const rest = url.slice(strip.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * The public hosts the proxy answers for, as `host:port` (the port left out where it is the
 * scheme's default, as URL.host does), compared case-insensitively as DNS names are.
 */
export class HostTable {
  readonly #kinds = new Map<string, HostKind>();

  constructor(urls: { app: string; api?: string; auth?: string; notebooks?: string }) {
    this.#kinds.set(new URL(urls.app).host.toLowerCase(), 'app');
    if (urls.api) this.#kinds.set(new URL(urls.api).host.toLowerCase(), 'api');
    if (urls.auth) this.#kinds.set(new URL(urls.auth).host.toLowerCase(), 'auth');
    if (urls.notebooks) this.#kinds.set(new URL(urls.notebooks).host.toLowerCase(), 'notebooks');
  }

  /** The kind of host a Host header names; undefined for a host this proxy does not serve. */
  kindOf(hostHeader: string | undefined, scheme: 'http' | 'https'): HostKind | undefined {
    // Only host and port characters: anything else (userinfo, a path) must not be read as a host.
    if (!hostHeader || !/^[A-Za-z0-9.:[\]-]+$/.test(hostHeader)) return undefined;
    let host: string;
    try {
      // Normalises an explicit default port (`example.test:443` on https) the way the URLs were.
      host = new URL(`${scheme}://${hostHeader}`).host.toLowerCase();
    } catch {
      return undefined;
    }
    return this.#kinds.get(host);
  }

  known(): string[] {
    return [...this.#kinds.keys()];
  }
}
