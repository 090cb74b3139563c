import { request as playwrightRequest, type APIRequestContext, type Browser } from '@playwright/test';
import * as client from 'openid-client';
import { chromiumLaunchOptions, findChromium, NO_BROWSER_HINT } from '../browser/chromium.ts';
import { launchTrusting } from '../browser/trust-store.ts';
import { resolveLocalhostNames } from '../net/localhost-names.ts';
import type { Catalogue } from '../catalogue/load.ts';
import { packsOfEnvironment } from '../catalogue/environment-packs.ts';
import { personasOf } from '../catalogue/project-plan.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { hideUrlCredentials } from '../diagnostics/url-credentials.ts';
import { errorLine } from '../diagnostics/first-line.ts';
import { callbackProbeSummary, describeAuthorizeResponse } from '../oidc/authorize-response.ts';
import { authorizationUrl, clientConfiguration } from '../oidc/authorization-request.ts';
import { SignInError, walkSignIn } from '../oidc/browser-sign-in.ts';
import { createRedactor } from '../evidence/redact.ts';
import type { EnvValue, Layer, Policy } from '../schema/common.ts';
import type { Environment } from '../schema/environment.ts';
import { accountOf } from '../environment/accounts.ts';
import { answerTimeout } from '../environment/answer-timeout.ts';
import { caCheck, caFileUnsetCheck, needsCa, notCheckedWithoutCa } from './ca-check.ts';
import { CONNECTION_REFUSED, networkProblem, reach, TLS, unanswered } from './reach.ts';
import { READY_CHECK, readyCheck } from './ready-check.ts';
import {
  envValue,
  resolveEnvironment,
  unknownEnvironment,
  unsetOrEmpty,
  type ResolvedEnvironment,
} from '../environment/resolve.ts';

/** One line of a preflight: what was checked, whether it holds (`null`: not checked, and why), in words. */
export type PreflightCheck = { check: string; ok: boolean | null; detail: string };

export type PreflightResult = {
  environment: string;
  file: string;
  /** Every check holds: the packs can run here. */
  ready: boolean;
  checks: PreflightCheck[];
  /** The packs this environment runs, with the layers it runs them at and their policy here. */
  packs: Array<{ id: string; layers: Layer[]; policy: Policy }>;
  /** What to do first, when the failures have one cause: nothing listens at the URLs of an environment whose stack packgate starts. */
  hint?: string;
};

type Env = Record<string, string | undefined>;

/**
 * What a team runs while writing a descriptor: every env var it names resolved (or named as
 * missing), the CA it trusts read (tls.ca_file), each URL reached (a stack's readiness probe too),
 * the IdP's discovery fetched and its issuer compared, the registered callback accepted by the
 * authorize endpoint, each account the packs sign in as signing in through the descriptor's login
 * steps (in a browser), and the packs the environment runs. Read-only.
 * Throws PackgateError for an environment that does not exist (the caller's exit 2).
 */
export async function preflight(
  catalogue: Catalogue,
  name: string,
  options: { processEnv?: Env; signIn?: boolean } = {},
): Promise<PreflightResult> {
  const processEnv = options.processEnv ?? process.env;
  const located = catalogue.environments.get(name);
  if (!located) throw unknownEnvironment(catalogue, name);
  const descriptor = located.value;
  const checks: PreflightCheck[] = [];
  const runs = packsOfEnvironment(
    descriptor,
    [...catalogue.packs.values()].map(p => p.value),
  );
  const packs = runs.map(({ pack, policy }) => ({
    id: pack.id,
    layers: pack.layers.filter(layer => descriptor.layers.includes(layer)),
    policy,
  }));

  // The seed users the packs sign in as (their identities and second personas), but those the
  // descriptor says have no account here, and the secrets their accounts here need.
  const identities = new Set(
    personasOf(runs.map(({ pack }) => ({ value: pack }))).filter(id => !descriptor.noAccountFor.includes(id)),
  );
  const personas = descriptor.seeds
    .flatMap(seed => catalogue.seeds.get(seed)?.value.users ?? [])
    .filter(user => identities.has(user.id));
  const needed = new Set(personas.map(p => descriptor.identities[p.id]?.passwordSecret ?? p.passwordSecret));

  // Resolved first, so that a variable's row does not say "ok" of a value the descriptor refuses.
  let env: ResolvedEnvironment | undefined;
  let unresolved: PackgateError | undefined;
  try {
    env = resolveEnvironment(catalogue, name, processEnv);
  } catch (error) {
    if (!(error instanceof PackgateError)) throw error;
    unresolved = error;
  }
  const problems = unresolved ? problemsOf(unresolved) : [];
  for (const { field, value } of envValues(descriptor))
    checks.push(envVarCheck(field, value, processEnv, refusalOf(field, problems)));
  for (const [secret, ref] of Object.entries(descriptor.secrets)) {
    const check = `secret ${secret}`;
    if (processEnv[ref.env]) checks.push({ check, ok: true, detail: `${ref.env} is set` });
    else if (ref.generate)
      checks.push({ check, ok: true, detail: `${ref.env} is not set: a local value is generated (dev stage)` });
    else if (needed.has(secret))
      checks.push({ check, ok: false, detail: `${ref.env} ${unsetOrEmpty(processEnv, ref.env)}: set it` });
    else
      checks.push({
        check,
        ok: null,
        detail: `${ref.env} is not set; no pack this environment runs signs in with it (a spec signing in as another persona would)`,
      });
  }

  // A CA file named by an env var that is not set: its row, as the other variables have theirs.
  const caRef = descriptor.tls?.caFile;
  if (typeof caRef === 'object' && !processEnv[caRef.env] && caRef.default === undefined) {
    const at = `${located.source.file}:${located.source.locate(['tls', 'ca_file']).line}`;
    checks.push(caFileUnsetCheck(caRef.env, at, descriptor));
  }

  // A deployment-shaped environment's *.localhost hosts: resolved to loopback, as in a gate's workers.
  resolveLocalhostNames();
  if (unresolved)
    checks.push({ check: 'descriptor resolves', ok: false, detail: unresolvedDetail(unresolved, checks) });
  if (!env) return result(name, located.source.file, checks, packs);

  // The CA the checks below trust, as the gate would; those that need it wait for it when it cannot be read.
  const ca = env.tls && caCheck(env.tls.caFile, env, catalogue.root);
  if (ca) checks.push(ca);
  const untrusted = ca?.ok === false ? needsCa : () => false;

  const http = await playwrightRequest.newContext({ ignoreHTTPSErrors: false, timeout: answerTimeout(env).ms });
  try {
    // The issuer is reached as an issuer, by its discovery document (below): any answer below 500
    // from its URL would take a web server at the wrong path for an IdP. The URLs are reached at
    // once, their rows in the table's order: a host that never answers costs one timeout, not one per URL.
    const urls = { app: env.urls.app, api: env.urls.api, proxy: env.urls.proxy };
    const reachOrWait = (check: string, url: string) =>
      untrusted(url) ? Promise.resolve(notCheckedWithoutCa(check)) : reach(http, check, url, env);
    const reached = Promise.all(
      Object.entries(urls)
        .filter((entry): entry is [string, string] => !!entry[1])
        .map(([field, url]) => reachOrWait(`url ${field}`, url)),
    );
    // A stack probed for readiness apart from its app: whether the probe answers, read beside the URLs'.
    const readyUrl = env.stack?.readyUrl;
    const probed = readyUrl && reachOrWait(READY_CHECK, `${readyUrl}${env.stack!.readyPath}`);
    const issuerChecks: PreflightCheck[] = [];
    const issuer = (async () => {
      if (untrusted(env.urls.authIssuer))
        issuerChecks.push(...['url auth_issuer', 'idp discovery', 'registered callback'].map(notCheckedWithoutCa));
      else {
        const setting = issuerSetting(descriptor, located.source.file);
        const discovery = await discoveryCheck(http, env, setting, issuerChecks);
        if (discovery) issuerChecks.push(await callbackCheck(http, env, descriptor, discovery));
      }
    })();
    const urlRows = await reached;
    checks.push(...urlRows);
    if (probed) checks.push(readyCheck(await probed, urlRows, env));
    await issuer;
    checks.push(...issuerChecks);
  } finally {
    await http.dispose();
  }

  const users = personas.map(persona => accountOf(persona, env.identities));
  // A sign-in starts at the app and goes through the issuer: where either does not answer, a
  // browser would wait out its timeouts to say what the row above says.
  const silent = checks.find(
    c => (c.check === 'url app' || c.check === 'url auth_issuer') && c.ok === false && unanswered(c.detail),
  );
  if (ca?.ok === false) checks.push(...users.map(user => notCheckedWithoutCa(`sign in as ${user.id}`)));
  else if (options.signIn === false)
    for (const user of users)
      checks.push({ check: `sign in as ${user.id}`, ok: null, detail: 'not checked (--no-sign-in)' });
  else if (users.length) checks.push(...(await signInChecks(env, users, descriptor, silent)));
  return {
    ...result(name, located.source.file, checks, packs),
    ...(stackDownHint(env, checks) ?? untrustedHint(env, checks)),
  };
}

/**
 * A gate run starts an environment's stack itself; env check (like a manual check) does not. With the
 * stack down every URL row says "connection refused", which alone does not say what to do.
 */
function stackDownHint(env: ResolvedEnvironment, checks: readonly PreflightCheck[]): { hint: string } | undefined {
  // A probe refused while the URLs answer is the stack up and probed elsewhere: its row says so.
  const refused = (c: PreflightCheck) =>
    c.ok === false && c.check !== READY_CHECK && c.detail.includes(CONNECTION_REFUSED);
  if (!env.stack || !checks.some(refused)) return undefined;
  return {
    hint:
      `nothing listens at ${env.name}'s URLs: its stack is not up? \`npx packgate stack start --env ${env.name}\` ` +
      'starts it (a gate run starts it itself, and stops it at the end)',
  };
}

/**
 * What Node says of a certificate no CA it trusts issued (a private CA's, a self-signed one), or
 * signed by another CA of the same name as one it trusts.
 */
const UNTRUSTED_CERTIFICATE =
  /self[- ]signed certificate|unable to (get local issuer|verify the first) certificate|certificate signature failure/i;

/**
 * A URL row failing on a certificate this machine does not trust: most often a deployment whose
 * certificates a private CA issued, which the descriptor's tls.ca_file names; the rows alone say
 * only what Node says ("self-signed certificate in certificate chain").
 */
function untrustedHint(env: ResolvedEnvironment, checks: readonly PreflightCheck[]): { hint?: string } {
  const row = checks.find(c => c.ok === false && c.detail.includes(TLS) && UNTRUSTED_CERTIFICATE.test(c.detail));
  if (!row) return {};
  return {
    hint: env.tls
      ? `the deployment's certificate is not issued by the CA its tls.ca_file names (${row.check}): ` +
        `point tls.ca_file in ${env.file} (or the env var it reads) at the certificate (PEM) of the CA that issued it`
      : `the deployment's certificate is not one this machine trusts (${row.check}): if a private CA issued it, ` +
        `set tls.ca_file in ${env.file} to that CA's certificate (PEM); env check and the gate then trust it`,
  };
}

/**
 * Why the descriptor does not resolve, less what a row above already says (an env var not set for
 * urls.app is that row's failure, not news here); what no row covers, e.g. plain HTTP on a release stage.
 */
function unresolvedDetail(error: PackgateError, checks: readonly PreflightCheck[]): string {
  const [summary] = error.message.split('\n');
  const problems = problemsOf(error);
  const said = checks.filter(c => c.ok === false).map(c => ` ${c.check}: `);
  const news = problems.filter(line => !said.some(field => line.includes(field)));
  if (problems.length && !news.length) return 'not until the failures above are fixed';
  return [summary, ...news].join('\n');
}

/** The problems a descriptor that does not resolve has, one a line: `<file>:<line> <field>: <what is wrong>`. */
function problemsOf(error: PackgateError): string[] {
  return error.message.split('\n  hint:')[0].split('\n').slice(1);
}

/** What is wrong with the value of `field`, where the descriptor refused it (`<file>:<line> <field>: ` left off). */
function refusalOf(field: string, problems: readonly string[]): string | undefined {
  const at = ` ${field}: `;
  const line = problems.find(p => p.includes(at));
  return line && line.slice(line.indexOf(at) + at.length);
}

function result(
  environment: string,
  file: string,
  checks: PreflightCheck[],
  packs: PreflightResult['packs'],
): PreflightResult {
  const shown = checks.map(c => ({ ...c, detail: hideUrlCredentials(c.detail) }));
  return { environment, file, ready: checks.every(c => c.ok !== false), checks: shown, packs };
}

/** Every value of the descriptor that may come from an env var, with its field. */
function envValues(env: Environment): Array<{ field: string; value: EnvValue }> {
  const out: Array<{ field: string; value: EnvValue | undefined }> = [
    { field: 'urls.app', value: env.urls.app },
    { field: 'urls.api', value: env.urls.api },
    { field: 'urls.proxy', value: env.urls.proxy },
    { field: 'urls.auth_issuer', value: env.urls.authIssuer },
    { field: 'urls.access_log', value: env.urls.accessLog },
    { field: 'oidc.client_id', value: env.oidc.clientId },
    { field: 'oidc.redirect_uri', value: env.oidc.redirectUri },
    { field: 'stack.ready_url', value: env.stack?.readyUrl },
  ];
  for (const [persona, mapped] of Object.entries(env.identities))
    for (const key of ['username', 'name', 'email'] as const)
      out.push({ field: `identities.${persona}.${key}`, value: mapped[key] });
  return out.filter((v): v is { field: string; value: EnvValue } => typeof v.value === 'object');
}

/**
 * A value's env var: set, its default taken, or missing. A variable set to a value the descriptor
 * then refuses (a URL without its scheme, plain HTTP on a release stage) fails here with the reason,
 * which names the variable: "ok ... is set" above that refusal read as if the variable were right.
 * (A refused default never gets here: the catalogue refuses it when it loads.)
 */
function envVarCheck(field: string, value: EnvValue, processEnv: Env, refused?: string): PreflightCheck {
  if (typeof value === 'string') return { check: field, ok: true, detail: value };
  if (envValue(processEnv, value.env))
    return refused
      ? { check: field, ok: false, detail: refused }
      : { check: field, ok: true, detail: `${value.env} is set` };
  const unset = unsetOrEmpty(processEnv, value.env);
  if (value.default !== undefined)
    return { check: field, ok: true, detail: `${value.env} ${unset}: the default ${value.default}` };
  return { check: field, ok: false, detail: `${value.env} ${unset} and there is no default: set it` };
}

/** Where the issuer URL is set, for a failure that says what to check: the field, its file, its env var. */
function issuerSetting(descriptor: Environment, file: string): string {
  const value = descriptor.urls.authIssuer;
  return `urls.auth_issuer in ${file}${typeof value === 'object' ? ` (${value.env})` : ''}`;
}

/**
 * The issuer reached as an issuer (`url auth_issuer`): its discovery document served, else a
 * failure naming the URL, the answer and the setting to check. Then the issuer the document names
 * compared with the descriptor's (`idp discovery`), which is not judged without a document.
 */
async function discoveryCheck(
  http: APIRequestContext,
  env: ResolvedEnvironment,
  setting: string,
  checks: PreflightCheck[],
): Promise<client.ServerMetadata | undefined> {
  const issuer = env.urls.authIssuer;
  const url = `${issuer}/.well-known/openid-configuration`;
  const toCheck = `check ${setting} is the issuer URL itself, exactly as the IdP names it ("issuer" in its discovery document)`;
  const notServed = (detail: string) => {
    checks.push(
      { check: 'url auth_issuer', ok: false, detail },
      {
        check: 'idp discovery',
        ok: null,
        detail: 'not checked: no discovery document from the issuer (url auth_issuer)',
      },
    );
    return undefined;
  };
  let metadata: client.ServerMetadata | undefined;
  try {
    const response = await http.get(url);
    if (response.status() !== 200)
      return notServed(
        `${url} answers HTTP ${response.status()}: the issuer serves no OpenID discovery document; ${toCheck}`,
      );
    metadata = (await response.json().catch(() => undefined)) as client.ServerMetadata | undefined;
    if (typeof metadata?.issuer !== 'string')
      return notServed(
        `${url} answers HTTP 200, but not with an OpenID discovery document (JSON naming its "issuer"); ${toCheck}`,
      );
  } catch (error) {
    return notServed(`${url}: ${networkProblem(error, env)}`);
  }
  checks.push({ check: 'url auth_issuer', ok: true, detail: `${issuer} serves its discovery document` });
  // Compared with the issuer as written: a trailing slash is part of an identifier (Auth0's).
  const same = metadata.issuer === env.oidc.issuer;
  checks.push({
    check: 'idp discovery',
    ok: same,
    detail: same
      ? `issuer ${metadata.issuer} is the configured one`
      : `the IdP names issuer ${metadata.issuer}, the descriptor ${env.oidc.issuer}: tokens would not validate; use exactly the IdP's`,
  });
  return metadata;
}

/** The app's registered callback, as the authorize endpoint judges it (a sign-in form, not a refusal). */
async function callbackCheck(
  http: APIRequestContext,
  env: ResolvedEnvironment,
  descriptor: Environment,
  metadata: client.ServerMetadata,
): Promise<PreflightCheck> {
  const check = 'registered callback';
  let url: URL;
  try {
    const config = await clientConfiguration(metadata, { issuerUrl: env.urls.authIssuer, clientId: env.oidc.clientId });
    url = await authorizationUrl(config, {
      redirectUri: env.oidc.redirectUri,
      scopes: env.oidc.scopes,
      state: client.randomState(),
      codeVerifier: client.randomPKCECodeVerifier(),
    });
  } catch (error) {
    // A discovery document with no usable authorization_endpoint (none, a relative path, not a URL):
    // before, env check ended in "internal error" with no table at all.
    const named = metadata.authorization_endpoint;
    return {
      check,
      ok: false,
      detail:
        `the discovery document of ${env.urls.authIssuer} names ` +
        `${typeof named === 'string' ? `authorization_endpoint "${named}"` : 'no authorization_endpoint'}: ` +
        `no sign-in request can be sent (${errorLine(error)}); an OpenID provider names its authorize URL there, in full`,
    };
  }
  try {
    const probe = await describeAuthorizeResponse(
      await http.get(url.href, { maxRedirects: 0 }),
      env.oidc.redirectUri,
      env.oidc.clientId,
    );
    return { check, ok: probe.accepted, detail: callbackProbeSummary(probe, { file: env.file, value: descriptor }) };
  } catch (error) {
    return { check, ok: false, detail: `${url.origin}${url.pathname}: ${networkProblem(error, env)}` };
  }
}

/** Each account the packs sign in as, through the descriptor's login steps in a real browser. */
async function signInChecks(
  env: ResolvedEnvironment,
  users: ReturnType<typeof accountOf>[],
  descriptor: Environment,
  /** The app's or the issuer's row, when it does not answer: no sign-in is tried then. */
  silent?: PreflightCheck,
): Promise<PreflightCheck[]> {
  const notTried = () =>
    users.map(user => ({
      check: `sign in as ${user.id}`,
      ok: null,
      detail: `not checked: ${silent!.check} does not answer (above)`,
    }));
  // Without a CA to trust there is nothing to learn from a browser that cannot reach the app.
  if (silent && !env.tls) return notTried();
  // A PACKGATE_CHROMIUM naming no executable, a browser that does not start: a row of their own
  // (the gate's browser layers would fail there too), the sign-ins not checked.
  const noBrowser = (error: PackgateError) => [
    { check: 'browser', ok: false, detail: error.message.replace('\n  hint:', ';') },
    ...users.map(user => ({
      check: `sign in as ${user.id}`,
      ok: null,
      detail: 'not checked: no browser to sign in with (browser, above)',
    })),
  ];
  let choice: ReturnType<typeof findChromium>;
  try {
    choice = findChromium();
  } catch (error) {
    if (!(error instanceof PackgateError)) throw error;
    return noBrowser(error);
  }
  if (!choice)
    return users.map(user => ({ check: `sign in as ${user.id}`, ok: false, detail: `no browser: ${NO_BROWSER_HINT}` }));
  // An environment with its own CA: the browser trusts it as a gate's does (an NSS database). A
  // machine that cannot make one (no certutil) fails a row of its own, as a gate's browsers would
  // fail there: the environment is not ready to gate from here, and the table says what to install.
  let browser: Browser;
  try {
    browser = await launchTrusting(chromiumLaunchOptions(choice, { headless: true }), env);
  } catch (error) {
    if (error instanceof PackgateError && error.code === 'BROWSER_NOT_FOUND') return noBrowser(error);
    if (!(error instanceof PackgateError && error.code.startsWith('TLS_TRUST_'))) throw error;
    return [
      { check: 'browser trust', ok: false, detail: error.message.replace('\n  hint:', ';') },
      ...users.map(user => ({
        check: `sign in as ${user.id}`,
        ok: null,
        detail: "not checked: the browser cannot be made to trust the environment's CA (browser trust, above)",
      })),
    ];
  }
  if (silent) {
    await browser.close();
    return notTried();
  }
  const out: PreflightCheck[] = [];
  try {
    for (const user of users) {
      const check = `sign in as ${user.id}`;
      let password: string;
      try {
        password = env.secrets.get(user.passwordSecret);
      } catch (error) {
        // An unset variable is its secret's row's failure, said there; not a second one here.
        const ref = env.secrets.names().find(s => s.name === user.passwordSecret);
        out.push(
          ref
            ? { check, ok: null, detail: `not checked: ${ref.env} is not set (secret ${ref.name}, above)` }
            : { check, ok: false, detail: (error as Error).message.replace('\n  hint:', ';') },
        );
        continue;
      }
      const context = await browser.newContext();
      let result: PreflightCheck;
      try {
        const steps = await walkSignIn(await context.newPage(), env, user, password);
        result = { check, ok: true, detail: `"${user.username}" landed in the app at ${steps.at(-1)?.url}` };
      } catch (error) {
        const refused = error instanceof SignInError && error.credentialsRefused;
        const detail = `"${user.username}": ${(error as Error).message}`;
        result = { check, ok: false, detail: refused ? detail + refusedAccount(env, descriptor, user) : detail };
      }
      // The IdP's URLs can hold what its cookies hold (an interaction's id in the login form's path):
      // redacted as a gate's evidence is, with the password and every cookie value the sign-in saw.
      const cookies = await context.cookies().catch(() => []);
      await context.close();
      const redact = createRedactor([password, ...cookies.map(c => c.value), ...env.secrets.knownValues()]);
      out.push({ ...result, detail: redact(result.detail) });
    }
  } finally {
    await browser.close();
  }
  return out;
}

/**
 * What a refused sign-in leaves to check: the IdP's "Invalid username or password" does not say
 * which, so both are named where they are set (the user name's field or the seed's, the password's
 * env var), as a gate's seed check says it.
 */
function refusedAccount(env: ResolvedEnvironment, descriptor: Environment, user: ReturnType<typeof accountOf>): string {
  const mapped = descriptor.identities[user.id]?.username;
  const name =
    mapped === undefined
      ? `the seed's user name for persona ${user.id}`
      : `identities.${user.id}.username in ${env.file}${typeof mapped === 'object' ? `, or its env var ${mapped.env}` : ''}`;
  const secret = env.secrets.names().find(s => s.name === user.passwordSecret);
  const password = secret ? `${secret.env} (secret ${secret.name})` : `secret ${user.passwordSecret}`;
  return `; so the IdP has no account "${user.username}" (${name}) or ${password} is not its password`;
}
