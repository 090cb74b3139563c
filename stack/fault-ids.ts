/**
 * The faults this stack knows how to inject, by their id in stack/faults.yaml. A fault listed in the
 * catalogue but missing here would start a healthy stack and let its pack pass silently, so the stack
 * refuses to start with such a fault requested (see config.ts).
 */
export const FAULTS = {
  // auth-session
  /** The IdP registers a stale redirect URI for the app's client instead of its real callback. */
  callbackUnregistered: 'callback-unregistered',
  /** The app's callback answers 500 once the code exchange has succeeded. */
  callback500: 'callback-500',
  /** The callback redirects to the shell without setting the session cookie. */
  sessionCookieMissing: 'session-cookie-missing',
  /** The app sends /oauth2/callback as its redirect_uri. */
  wrongRedirectUri: 'wrong-redirect-uri',
  /** Signing out clears the cookie but leaves the server-side session usable. */
  sessionSurvivesLogout: 'session-survives-logout',
  // v3-shell
  /** A context switch answers success and changes nothing. */
  tenantSwitchIgnored: 'tenant-switch-ignored',
  /** A switched context is read once, then the session falls back to the default. */
  contextLostOnReload: 'context-lost-on-reload',
  /** The Workloads navigation link points at a path that 404s. */
  modeNavBroken: 'mode-nav-broken',
  /** The shell's context form accepts a POST from a foreign Origin (a forged switch). */
  contextFormOriginUnchecked: 'context-form-origin-unchecked',
  // app-launch
  /** Workloads never leave `pending`. */
  launchStuckPending: 'launch-stuck-pending',
  /** Creating a workload (API and launch form) answers 500. */
  launchApi500: 'launch-api-500',
  /** POST /v1/workloads launches into a named project without checking the caller's membership. */
  launchMembershipUnchecked: 'launch-membership-unchecked',
  // notebook-proxy
  /** The proxy forwards /notebooks/... without stripping the prefix. */
  notebookRewriteBroken: 'notebook-rewrite-broken',
  /** The notebook service serves any signed-in user's notebooks. */
  notebookOpenToAll: 'notebook-open-to-all',
  /** The notebook's lab page skips the owner check (its status API keeps it). */
  notebookLabOwnerUnchecked: 'notebook-lab-owner-unchecked',
  // terminal
  /** The proxy answers websocket upgrades with 502. */
  proxyDropsWsUpgrade: 'proxy-drops-ws-upgrade',
  /** The terminal service accepts an upgrade without a session. */
  terminalNoSessionCheck: 'terminal-no-session-check',
  /** The terminal service accepts any Origin. */
  terminalOriginUnchecked: 'terminal-origin-unchecked',
  /** The terminal service opens a terminal on an ended allocation. */
  terminalEndedAllocationOpen: 'terminal-ended-allocation-open',
  // node-inventory
  /** `ready` is missing from the nodes API; the page shows Unknown. */
  nodeReadinessMissing: 'node-readiness-missing',
  /** Blockers are not reported (API and page). */
  nodeBlockersHidden: 'node-blockers-hidden',
  /** Non-operators can read the nodes API and page. */
  nodesNotOperatorOnly: 'nodes-not-operator-only',
  /** The nodes page skips the operator check (the nodes API keeps it). */
  nodesPageNotOperatorOnly: 'nodes-page-not-operator-only',
  // platform-proxy
  /** The proxy neither propagates traceparent nor answers traceresponse. */
  traceparentDropped: 'traceparent-dropped',
  /** The proxy forwards any traceparent unchanged, malformed ones included. */
  traceparentPassthrough: 'traceparent-passthrough',
  /** Access-log lines carry no correlation id. */
  correlationNotLogged: 'correlation-not-logged',
  /** A Host the proxy does not serve is routed as the app host. */
  proxyRoutesAnyHost: 'proxy-routes-any-host',
  // demo-deploy
  /** The api's /healthz answers 503. */
  apiHealth503: 'api-health-503',
  /** The IdP's /health/ready answers 503 DOWN. */
  authHealthDown: 'auth-health-down',
  /** The app's /healthz answers 500. */
  appHealth500: 'app-health-500',
  /** The API serves a request without a session cookie as the first seed user (a dev bypass left on). */
  apiAnonymousBypass: 'api-anonymous-bypass',
  // parity: configuration mistakes a deployment makes, injected where the stack renders its config
  /** The injected config sets the session cookie without Secure on an https app. */
  sessionCookieInsecure: 'session-cookie-insecure',
  /** The IdP's client registration (from the injected config) has the callback as http. */
  callbackRegisteredHttp: 'callback-registered-http',
  /** The ingress routes the notebooks host to the app service. */
  notebooksHostToApp: 'notebooks-host-to-app',
  /** The injected config lacks the notebook service's kernel image: the service never becomes ready. */
  configValueMissing: 'config-value-missing',
  /** The ingress answers without Strict-Transport-Security. */
  hstsMissing: 'hsts-missing',
} as const;

export type FaultId = (typeof FAULTS)[keyof typeof FAULTS];

export const implementedFaults: ReadonlySet<string> = new Set(Object.values(FAULTS));

/** The faults a stack runs with; every service asks it rather than parsing the list itself. */
export class FaultSet {
  readonly #on: ReadonlySet<string>;

  constructor(ids: readonly string[]) {
    this.#on = new Set(ids);
  }

  has(id: FaultId): boolean {
    return this.#on.has(id);
  }
}
