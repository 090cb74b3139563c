import type { Page, Response } from '@playwright/test';
import type { ResolvedEnvironment } from '../environment/resolve.ts';
import { firstLine } from '../gate/observe.ts';
import type { LoginDriver, SignInStepSpec } from '../schema/environment.ts';
import type { SeedUser } from '../schema/seed.ts';
import { errorTextOf } from './error-text.ts';

/** The steps of an OIDC browser sign-in, in order; a failure names the step that did not happen. */
export type SignInStep =
  'app-sent-to-idp' | 'idp-showed-form' | 'idp-accepted-credentials' | 'app-accepted-callback' | 'landed-in-app';

export type JourneyStep = { step: SignInStep; url: string; status?: number };

export class SignInError extends Error {
  override name = 'SignInError';
  constructor(
    readonly step: SignInStep,
    readonly detail: string,
    /** The IdP refused the user name and password given (not the request, nor a step it did not show). */
    readonly credentialsRefused = false,
  ) {
    super(`sign-in failed at step "${step}": ${detail}`);
  }
}

/** A sign-in at the IdP's pages as steps, and where the IdP shows a refusal. */
type LoginSteps = { steps: SignInStepSpec[]; error?: string };

const KEYCLOAK: LoginSteps = {
  steps: [
    { fill: '#username', with: 'username', optional: false },
    { fill: '#password', with: 'password', optional: false },
    { click: '#kc-login', optional: false },
  ],
  error: '#kc-error-message, #input-error',
};

/** Every driver as a sequence of steps: `keycloak` and `form` are presets of the same thing. */
export function loginSteps(login: LoginDriver): LoginSteps {
  if (login.driver === 'keycloak') return KEYCLOAK;
  if (login.driver === 'steps') return login;
  const { username, password, submit, error } = login.selectors;
  return {
    steps: [
      { fill: username, with: 'username', optional: false },
      { fill: password, with: 'password', optional: false },
      { click: submit, optional: false },
    ],
    error,
  };
}

/**
 * The browser part of an OIDC sign-in, step by step, on a fresh page: start at the app, get sent to
 * the IdP, take the login steps the environment's driver describes, come back through the app's
 * callback and land in the app. Each step has its own short timeout, so a broken sign-in fails in
 * seconds with a SignInError naming the step and quoting what the IdP or app said.
 */
export async function walkSignIn(
  page: Page,
  env: ResolvedEnvironment,
  user: SeedUser,
  password: string,
): Promise<JourneyStep[]> {
  const timeout = env.oidc.stepTimeoutMs;
  const login = loginSteps(env.oidc.login);
  const idp = new URL(env.urls.authIssuer).origin;
  const app = new URL(env.urls.app).origin;
  const journey: JourneyStep[] = [];

  // The authorize request the app sends us to: its redirect_uri is what a refusal is about.
  let authorize: URL | undefined;
  page.on('request', request => {
    const url = new URL(request.url());
    if (!authorize && url.origin === idp && url.searchParams.has('redirect_uri')) authorize = url;
  });
  const requestDetails = () =>
    authorize
      ? ` (redirect_uri=${authorize.searchParams.get('redirect_uri')}, client_id=${authorize.searchParams.get('client_id')})`
      : '';

  // 1. Start at the app; it must send the browser to the IdP. The IdP's last answer to a navigation
  // is kept: Chromium turns an error status with an empty body into a failed navigation, and that is
  // the IdP refusing the authorization request, not the app failing to open.
  let idpAnswer: Response | undefined;
  page.on('response', response => {
    if (new URL(response.url()).origin === idp && response.request().isNavigationRequest()) idpAnswer = response;
  });
  const refusedBy = async (answer: Response, words?: string) =>
    new SignInError(
      'idp-showed-form',
      `the IdP refused the authorization request (HTTP ${answer.status()}): ` +
        `${oneLine(words ?? (await answerWords(answer))) || '(empty page)'}${requestDetails()}`,
    );
  const start = `${env.urls.app}${env.oidc.loginPath}`;
  const landing = await page.goto(start, { timeout }).catch(async error => {
    if (idpAnswer && idpAnswer.status() >= 400) throw await refusedBy(idpAnswer);
    throw new SignInError(
      'app-sent-to-idp',
      `could not open ${start}: ${firstLine(String((error as Error)?.message ?? error))}`,
    );
  });
  if (new URL(page.url()).origin !== idp)
    throw new SignInError(
      'app-sent-to-idp',
      `${start} ended at ${withoutQuery(page.url())} (HTTP ${landing?.status()}), not at the IdP ${idp}`,
    );
  journey.push({ step: 'app-sent-to-idp', url: withoutQuery(page.url()), status: landing?.status() });

  // The app's callback, whenever the IdP sends the browser there: after the last step, or earlier
  // when the IdP needs no more (it remembered the user).
  let reachedCallback!: (response: Response) => void;
  const callbackReached = new Promise<Response>(resolve => (reachedCallback = resolve));
  page.on('response', response => {
    if (response.url().startsWith(env.oidc.redirectUri)) reachedCallback(response);
  });
  let callback: Response | undefined;
  void callbackReached.then(response => (callback = response));

  // 2. The IdP shows its first page (the first step's target), or refuses the authorization request
  // (unregistered redirect_uri, unknown client), with its error element or only a status.
  const required = login.steps.filter(step => !isOptional(step));
  const optional = login.steps.filter(isOptional);
  const firstTarget = targetOf(required[0]);
  // A page with an error status is a refusal whatever it shows: said at once, in the IdP's words if it has any.
  if (landing && landing.status() >= 400) {
    const said = login.error && (await page.locator(login.error).first().isVisible());
    throw await refusedBy(landing, said ? await page.locator(login.error!).first().innerText() : undefined);
  }
  const shown = await first(page, [firstTarget, login.error], timeout);
  if (shown === 1) throw await refusedBy(landing!, await page.locator(login.error!).first().innerText());
  if (shown !== 0)
    throw new SignInError(
      'idp-showed-form',
      `the IdP page showed neither its sign-in form (${firstTarget}) nor an error within ${timeout} ms${requestDetails()}`,
    );
  journey.push({ step: 'idp-showed-form', url: withoutQuery(page.url()), status: landing?.status() });

  // 3. The login steps in order, each optional one taken whenever it shows up; then the IdP either
  // sends the browser to the app's callback or refuses the credentials.
  const valueOf = (step: Extract<SignInStepSpec, { fill: string }>) =>
    step.with === 'password' ? password : step.with === 'email' ? user.email : user.username;
  const take = async (step: SignInStepSpec) => {
    if ('fill' in step) await page.fill(step.fill, valueOf(step), { timeout });
    else if ('click' in step) await page.click(step.click, { timeout });
  };
  const refusal = async (during: string): Promise<SignInError> => {
    const words = oneLine(await page.locator(login.error!).first().innerText());
    return passwordGiven
      ? new SignInError(
          'idp-accepted-credentials',
          `the IdP refused the credentials of "${user.username}": ${words}`,
          true,
        )
      : new SignInError('idp-accepted-credentials', `the IdP refused ${during}: ${words}`);
  };
  let passwordGiven = false;
  // Optional steps not taken yet: each is taken once, when it shows (a required step that shows at
  // the same time goes first).
  const pending = [...optional];
  const next = async (targets: Array<string | undefined>) => {
    const winner = await first(page, [...targets, ...pending.map(targetOf)], timeout, callbackReached);
    if (winner < targets.length) return { winner };
    if (targets[0] && (await page.locator(targets[0]).first().isVisible())) return { winner: 0 };
    return { winner, detour: pending.splice(winner - targets.length, 1)[0] };
  };
  for (const [index, step] of required.entries()) {
    const what = `login step ${login.steps.indexOf(step) + 1} of ${login.steps.length} (${describeStep(step)})`;
    for (;;) {
      if (callback) break;
      const { winner, detour } = await next([targetOf(step), login.error]);
      if (winner === -2) break;
      if (detour) {
        await take(detour);
        continue;
      }
      if (winner === 0) {
        await take(step).catch(error => {
          throw new SignInError(
            'idp-accepted-credentials',
            `${what} failed: ${firstLine(String((error as Error)?.message ?? error))}`,
          );
        });
        if ('fill' in step && step.with === 'password') passwordGiven = true;
        break;
      }
      if (winner === 1) throw await refusal(what);
      throw new SignInError(
        'idp-accepted-credentials',
        `${what}: ${targetOf(step)} did not show within ${timeout} ms${index ? ' after the previous step' : ''}; ` +
          `the page showed "${await pageWords(page)}" (at ${withoutQuery(page.url())})`,
      );
    }
  }
  while (!callback) {
    const { winner, detour } = await next([login.error]);
    if (winner === -2) break;
    if (detour) {
      await take(detour);
      continue;
    }
    if (winner === 0) throw await refusal('the last step');
    throw new SignInError(
      'idp-accepted-credentials',
      `after the last login step, the browser reached neither the app's callback ${env.oidc.redirectUri} ` +
        `nor an IdP error within ${timeout} ms; the page showed "${await pageWords(page)}" (at ${withoutQuery(page.url())})`,
    );
  }
  const response = callback ?? (await callbackReached);
  journey.push({ step: 'idp-accepted-credentials', url: withoutQuery(response.url()) });

  // 4. The app accepts the callback (state, PKCE, code exchange) and sets its session.
  const callbackStatus = response.status();
  if (callbackStatus >= 400)
    throw new SignInError(
      'app-accepted-callback',
      `the app refused the callback ${withoutQuery(response.url())} (HTTP ${callbackStatus}): ${oneLine(await bodyWords(response))}`,
    );
  journey.push({ step: 'app-accepted-callback', url: withoutQuery(response.url()), status: callbackStatus });

  // 5. The browser lands in the app, past the callback and the sign-in start. An app that sends the
  // browser back to its sign-in start right after accepting the callback kept no session; that is
  // said as soon as it happens, not after the step's timeout.
  const landed = page.waitForURL(
    url => url.origin === app && !url.href.startsWith(env.oidc.redirectUri) && url.pathname !== env.oidc.loginPath,
    { timeout },
  );
  const sentBack = page.waitForRequest(r => isSignInStart(r.url(), app, env.oidc.loginPath), { timeout });
  const ending = await Promise.race([landed.then(() => 'landed'), sentBack.then(() => 'sent-back')]).catch(
    () => 'timeout',
  );
  landed.catch(() => {});
  sentBack.catch(() => {});
  if (ending === 'sent-back')
    throw new SignInError(
      'landed-in-app',
      `right after accepting the callback the app sent the browser back to ${env.oidc.loginPath}: ` +
        'it kept no session (was its session cookie set?)',
    );
  if (ending === 'timeout')
    throw new SignInError(
      'landed-in-app',
      `after the callback the browser did not land in the app within ${timeout} ms (now at ${withoutQuery(page.url())})`,
    );
  journey.push({ step: 'landed-in-app', url: withoutQuery(page.url()) });
  return journey;
}

function isSignInStart(url: string, app: string, loginPath: string): boolean {
  const parsed = new URL(url);
  return parsed.origin === app && parsed.pathname === loginPath;
}

/**
 * Index of the first of `targets` to become visible, -2 when `done` settles first (the callback was
 * reached), or -1 when nothing happens within the timeout.
 */
async function first(
  page: Page,
  targets: Array<string | undefined>,
  timeout: number,
  done?: Promise<unknown>,
): Promise<number> {
  const waits = targets.map((selector, i) =>
    selector
      ? page
          .locator(selector)
          .first()
          .waitFor({ timeout })
          .then(() => i)
      : new Promise<number>(() => {}),
  );
  if (done) waits.push(done.then(() => -2));
  const winner = await Promise.race(waits).catch(() => -1);
  waits.forEach(w => w.catch(() => {}));
  return winner;
}

function isOptional(step: SignInStepSpec): boolean {
  return 'optional' in step && step.optional;
}

function targetOf(step: SignInStepSpec): string {
  return 'fill' in step ? step.fill : 'click' in step ? step.click : step.wait_for;
}

function describeStep(step: SignInStepSpec): string {
  if ('fill' in step) return `fill ${step.fill} with the ${step.with}`;
  if ('click' in step) return `click ${step.click}`;
  return `wait for ${step.wait_for}`;
}

/** The start of what the page shows, in one line: enough to tell a wrong page from a slow one. */
async function pageWords(page: Page): Promise<string> {
  const text = await page
    .locator('body')
    .innerText({ timeout: 1000 })
    .catch(() => '');
  const line = oneLine(text);
  return line.length > 160 ? `${line.slice(0, 157)}...` : line || '(nothing)';
}

/**
 * What an error answer said: nothing for an empty body (Chromium shows its own error page for
 * those, whose words are not the server's), else the words of its page.
 */
async function answerWords(response: Response): Promise<string> {
  if (response.headers()['content-length'] === '0') return '';
  const body = await response.body().catch(() => Buffer.alloc(0));
  return body.length ? errorTextOf(body.toString('utf8')) : '';
}

async function bodyWords(response: Response): Promise<string> {
  try {
    return errorTextOf(await response.text());
  } catch {
    return '(no body)';
  }
}

/** URLs in journeys and errors lose their query: it carries codes and states. */
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
