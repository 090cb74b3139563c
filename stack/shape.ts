import { FAULTS_VAR, OWNER_PID_VAR } from '../src/faults/faults.ts';
import { nearest } from '../src/diagnostics/nearest.ts';
import { StackUsageError } from './config.ts';
import { ISSUED_SECRETS_VAR } from './issued-secrets.ts';

/**
 * How the IdP's login UI goes, as deployments vary: Keycloak's one form (`classic`), or any of
 * identifier-first (user name, then password on a second page), an interstitial "Continue" page
 * after the credentials, and a consent page.
 */
export type LoginUi = { identifierFirst: boolean; interstitial: boolean; consent: boolean };

/**
 * The reference stack in another shape than its environment's descriptor, to stand in for a
 * deployment that differs from it (another login UI, other paths, other account names, no
 * identity on the page, another correlation header): set by env vars when the stack starts, so a
 * test can point a new descriptor at it and prove that only the descriptor had to change.
 */
export type StackShape = {
  loginUi: LoginUi;
  /** The app's sign-in start, instead of the descriptor's oidc.login_path. */
  loginPath?: string;
  /** The app's callback path, registered at the IdP, instead of the descriptor's oidc.redirect_path. */
  callbackPath?: string;
  /** Account user names by seed user id, instead of the seed's. */
  usernames: Map<string, string>;
  /** Whether the shell shows who is signed in (`hidden`: only the API's /v1/me says). */
  shellIdentity: 'shown' | 'hidden';
  /** The correlation header the platform proxy adds and echoes, instead of the descriptor's first. */
  correlationHeader?: string;
  /** Seed records the stand-in deployment lacks, as `<kind>/<id>`: what a verify environment must notice. */
  without: Set<string>;
  /** The IdP refuses an authorization request with a bare 403 and an empty body, as some gateways do. */
  terseRefusals: boolean;
  /** How long the app's sessions last, in seconds (cookie Max-Age and server side); default 8 hours. */
  sessionTtlS?: number;
  /**
   * The app keeps a per-session token in the browser's sessionStorage, as some SPAs do, and its
   * pages work only in a tab that holds it: what proves a gate restores sessionStorage in new pages.
   */
  sessionStorage: boolean;
  /**
   * Who signs in: the app (`app`, its own sign-in start at the login path) or, as with an OIDC-aware
   * reverse proxy in front of it (oauth2-proxy, mod_auth_openidc), the front door (`proxy`): any
   * protected page starts the sign-in, the browser returns to that page after the callback, and the
   * app serves no sign-in page of its own.
   */
  signIn: 'app' | 'proxy';
};

export const SHAPE_VARS = {
  loginUi: 'PACKGATE_STACK_LOGIN_UI',
  loginPath: 'PACKGATE_STACK_LOGIN_PATH',
  callbackPath: 'PACKGATE_STACK_CALLBACK_PATH',
  usernames: 'PACKGATE_STACK_USERNAMES',
  shellIdentity: 'PACKGATE_STACK_SHELL_IDENTITY',
  correlationHeader: 'PACKGATE_STACK_CORRELATION_HEADER',
  without: 'PACKGATE_STACK_WITHOUT',
  terseRefusals: 'PACKGATE_STACK_TERSE_REFUSALS',
  sessionTtlS: 'PACKGATE_STACK_SESSION_TTL_S',
  sessionStorage: 'PACKGATE_STACK_SESSION_STORAGE',
  signIn: 'PACKGATE_STACK_SIGN_IN',
} as const;

const LOGIN_UI_PARTS = ['classic', 'identifier-first', 'interstitial', 'consent'] as const;

const STACK_PREFIX = 'PACKGATE_STACK_';

/** Every `PACKGATE_STACK_*` variable the stack reads. */
const STACK_VARS: readonly string[] = [FAULTS_VAR, ...Object.values(SHAPE_VARS), ISSUED_SECRETS_VAR, OWNER_PID_VAR];

/**
 * A `PACKGATE_STACK_*` variable the stack does not read is a misspelt one (PACKGATE_STACK_FAULT):
 * heard by nothing, it would start the stack without the fault or shape asked for, and a drill
 * would pass for the wrong reason.
 */
function unknownStackVars(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => name.startsWith(STACK_PREFIX) && !!value && !STACK_VARS.includes(name))
    .map(([name]) => {
      // Compared without the prefix they share, which would make any name look near.
      const suffix = (of: string) => of.slice(STACK_PREFIX.length);
      const meant = nearest(suffix(name), STACK_VARS.map(suffix));
      return meant
        ? `${name} is not a variable the stack reads: did you mean ${STACK_PREFIX}${meant}?`
        : `${name} is not a variable the stack reads (${STACK_VARS.join(', ')}): unset it`;
    });
}

/** The shape the env vars ask for; unset vars leave the descriptor's. Throws StackUsageError (exit 2) naming the var. */
export function stackShape(env: Record<string, string | undefined> = process.env): StackShape {
  const problems: string[] = unknownStackVars(env);
  const parts = (env[SHAPE_VARS.loginUi] || 'classic').split(/[+,]/).map(p => p.trim());
  for (const part of parts)
    if (!(LOGIN_UI_PARTS as readonly string[]).includes(part))
      problems.push(
        `${SHAPE_VARS.loginUi}: "${part}" is not a login UI; use ${LOGIN_UI_PARTS.join(', ')}, joined by +`,
      );

  const path = (name: keyof typeof SHAPE_VARS) => {
    const value = env[SHAPE_VARS[name]];
    if (!value) return undefined;
    if (!/^\/[A-Za-z0-9._~/-]*$/.test(value))
      problems.push(`${SHAPE_VARS[name]}: "${value}" is not an absolute path, e.g. /signin`);
    return value;
  };
  const loginPath = path('loginPath');
  const callbackPath = path('callbackPath');

  /** The comma-separated items of a variable, trimmed. */
  const items = (name: keyof typeof SHAPE_VARS) =>
    (env[SHAPE_VARS[name]] ?? '')
      .split(',')
      .map(item => item.trim())
      .filter(Boolean);

  const usernames = new Map<string, string>();
  for (const pair of items('usernames')) {
    const [id, username] = pair.split('=').map(s => s?.trim());
    if (!id || !username) problems.push(`${SHAPE_VARS.usernames}: "${pair}" is not <seed user id>=<user name>`);
    else usernames.set(id, username);
  }

  const shellIdentity = env[SHAPE_VARS.shellIdentity] || 'shown';
  if (shellIdentity !== 'shown' && shellIdentity !== 'hidden')
    problems.push(`${SHAPE_VARS.shellIdentity}: "${shellIdentity}" is neither "shown" nor "hidden"`);

  const correlationHeader = env[SHAPE_VARS.correlationHeader]?.toLowerCase() || undefined;
  if (correlationHeader && !/^[a-z0-9-]+$/.test(correlationHeader))
    problems.push(`${SHAPE_VARS.correlationHeader}: "${correlationHeader}" is not a header name`);

  const without = new Set<string>();
  for (const item of items('without')) {
    if (!/^[a-z][a-z0-9-]*\/[^/\s]+$/.test(item))
      problems.push(`${SHAPE_VARS.without}: "${item}" is not <record kind>/<id>`);
    else without.add(item);
  }

  /** A 1-or-0 variable: whether it is 1. */
  const flag = (name: keyof typeof SHAPE_VARS) => {
    const value = env[SHAPE_VARS[name]] ?? '';
    if (!['', '0', '1'].includes(value)) problems.push(`${SHAPE_VARS[name]}: "${value}" is neither 1 nor 0`);
    return value === '1';
  };
  const terseRefusals = flag('terseRefusals');
  const sessionStorage = flag('sessionStorage');

  const ttl = env[SHAPE_VARS.sessionTtlS];
  if (ttl !== undefined && ttl !== '' && !/^[1-9][0-9]*$/.test(ttl))
    problems.push(`${SHAPE_VARS.sessionTtlS}: "${ttl}" is not a whole number of seconds`);

  const signIn = env[SHAPE_VARS.signIn] || 'app';
  if (signIn !== 'app' && signIn !== 'proxy')
    problems.push(`${SHAPE_VARS.signIn}: "${signIn}" is neither "app" nor "proxy"`);

  // One problem on the first line: a gate run's verdict quotes the stack's last unindented line.
  if (problems.length)
    throw new StackUsageError(
      `the stack's PACKGATE_STACK_* variables are not valid:${problems.length === 1 ? ' ' : '\n  '}${problems.join('\n  ')}`,
    );
  return {
    loginUi: {
      identifierFirst: parts.includes('identifier-first'),
      interstitial: parts.includes('interstitial'),
      consent: parts.includes('consent'),
    },
    loginPath,
    callbackPath,
    usernames,
    shellIdentity: shellIdentity as StackShape['shellIdentity'],
    correlationHeader,
    without,
    terseRefusals,
    sessionTtlS: ttl ? Number(ttl) : undefined,
    sessionStorage,
    signIn: signIn as StackShape['signIn'],
  };
}
