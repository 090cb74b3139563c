import type { Page, Request, Response } from '@playwright/test';
import type { ResolvedEnvironment } from '../environment/resolve.ts';
import { firstLine } from '../diagnostics/first-line.ts';
import type { LoginDriver, SignInStepSpec } from '../schema/environment.ts';
import type { SeedUser } from '../schema/seed.ts';
import { unmappedPersona } from '../environment/accounts.ts';
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
    /** The IdP said the account is locked or disabled: whatever the password, it is not usable now. */
    readonly accountLocked = false,
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
 * What shows that the IdP asks for its form: the target of the driver's first step that always comes
 * (an optional interstitial may or may not show first).
 */
export function loginFormTarget(login: LoginDriver): string | undefined {
  const first = loginSteps(login).steps.find(step => !isOptional(step));
  return first && targetOf(first);
}

/**
 * The browser part of an OIDC sign-in on a fresh page: start at the app, get sent to the IdP, take
 * the login steps the environment's driver describes, come back through the app's callback and land
 * in the app. Each step has its own short timeout, so a broken sign-in fails in seconds with a
 * SignInError naming the step and quoting what the IdP or app said.
 */
export async function walkSignIn(
  page: Page,
  env: ResolvedEnvironment,
  user: SeedUser,
  password: string,
): Promise<JourneyStep[]> {
  const walk = new SignInWalk(page, env, user, password);
  await walk.checkSelectors();
  const journey: JourneyStep[] = [];
  journey.push(await walk.startAtApp());
  journey.push(await walk.idpShowsItsFirstPage());
  const callback = await walk.takeLoginSteps();
  journey.push({ step: 'idp-accepted-credentials', url: withoutQuery(callback.url()) });
  journey.push(await walk.appAcceptsCallback(callback));
  journey.push(await walk.landInApp());
  return journey;
}

/** What became visible first while waiting: a named target, the app's callback, or nothing in time. */
type Shown<Name extends string> = Name | 'callback' | 'nothing';

/** One sign-in in progress: the page, what it has seen so far, and one method per sign-in step. */
class SignInWalk {
  private readonly timeout: number;
  private readonly login: LoginSteps;
  private readonly idp: string;
  private readonly app: string;
  /** The authorize request the app sent the browser to: its redirect_uri is what a refusal is about. */
  private authorize?: URL;
  /** The IdP's last answer to a navigation (Chromium turns an empty error page into a failed navigation). */
  private idpAnswer?: Response;
  /** The app's callback, whenever the IdP sends the browser there (after the last step, or earlier). */
  private readonly callbackReached: Promise<Response>;
  private callback?: Response;
  private landing?: Response | null;
  private passwordGiven = false;
  /** Navigations of the page so far, and how many there had been when the password was filled. */
  private navigations = 0;
  private navigationsAtPassword = 0;
  /** Resolves with the URL when, after the callback, the app sends the browser to the IdP's authorize endpoint again. */
  private readonly sentBackToIdp: Promise<string>;
  /**
   * The IdP's `error` (and its description) when it sent the browser to the app's callback with one
   * instead of a code: seen on the way, as an app's callback may go on to its home page whatever
   * came back, and an SPA's callback answers 200 either way.
   */
  private callbackError?: string;
  /** The page's latest navigation, redirects included: where the browser waits when an answer does not come. */
  private lastNavigation?: URL;
  /** That navigation while it waits for its answer (a form sent to a slow IdP: the page still shows the form). */
  private unanswered?: Request;
  /** Chromium's error for the page's latest navigation, if it failed (`net::ERR_CERT_AUTHORITY_INVALID`). */
  private navigationFailure?: string;

  constructor(
    private readonly page: Page,
    private readonly env: ResolvedEnvironment,
    private readonly user: SeedUser,
    private readonly password: string,
  ) {
    this.timeout = env.oidc.stepTimeoutS * 1000;
    this.login = loginSteps(env.oidc.login);
    this.idp = new URL(env.urls.authIssuer).origin;
    this.app = new URL(env.urls.app).origin;
    let sentBack: (url: string) => void;
    this.sentBackToIdp = new Promise(resolve => (sentBack = resolve));
    page.on('request', request => {
      const url = new URL(request.url());
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        this.lastNavigation = url;
        this.navigationFailure = undefined;
        this.unanswered = request;
        this.navigations++;
      }
      if (!this.authorize && url.origin === this.idp && url.searchParams.has('redirect_uri')) this.authorize = url;
      else if (this.isCallback(url.href) && url.searchParams.has('error')) this.callbackError ??= idpError(url);
      // Recorded as it happens: the redirects after the callback may all be over before step 5 starts.
      else if (
        this.callback &&
        request.isNavigationRequest() &&
        request.frame() === page.mainFrame() &&
        url.origin === this.idp &&
        url.pathname === this.authorize?.pathname
      )
        sentBack(withoutQuery(url.href));
    });
    page.on('response', response => {
      if (response.request() === this.unanswered) this.unanswered = undefined;
      if (new URL(response.url()).origin === this.idp && response.request().isNavigationRequest())
        this.idpAnswer = response;
    });
    page.on('requestfailed', request => {
      if (request === this.unanswered) this.unanswered = undefined;
      if (request.isNavigationRequest() && request.frame() === page.mainFrame())
        this.navigationFailure = request.failure()?.errorText;
    });
    // The app's callback is the redirect_uri it sent the IdP, which should be the descriptor's: one
    // that is not is seen as the callback too, to be said at once (step 4), not after a timeout.
    this.callbackReached = new Promise<Response>(resolve =>
      page.on('response', response => {
        if (this.isCallback(response.url())) resolve(response);
      }),
    );
    void this.callbackReached.then(response => (this.callback = response));
  }

  /**
   * The driver's selectors parse, checked on the blank page before the sign-in starts: a waiting
   * step fails at once on one that does not, which read as its target not showing "within" the
   * step's time.
   */
  async checkSelectors(): Promise<void> {
    const first = this.required()[0];
    const named: Array<[string, string, SignInStep]> = [
      ...this.login.steps.map((step): [string, string, SignInStep] => [
        this.stepName(step),
        targetOf(step),
        step === first ? 'idp-showed-form' : 'idp-accepted-credentials',
      ]),
      ...(this.login.error
        ? [["the IdP's error element", this.login.error, 'idp-showed-form'] as [string, string, SignInStep]]
        : []),
    ];
    for (const [what, selector, step] of named) {
      const refused = await this.page
        .locator(selector)
        .count()
        .then(
          () => undefined,
          (error: unknown) => firstLine(messageOf(error)).replace(/^locator\.count: /, ''),
        );
      if (refused)
        throw new SignInError(step, `${what}: "${selector}" is not a valid selector: ${refused}; ${this.driverHint()}`);
    }
  }

  /** 1. Start at the app; it must send the browser to the IdP. */
  async startAtApp(): Promise<JourneyStep> {
    const start = `${this.env.urls.app}${this.env.oidc.loginPath}`;
    this.landing = await this.page.goto(start, { timeout: this.timeout }).catch(async error => {
      if (this.idpAnswer && this.idpAnswer.status() >= 400) throw await this.refusedRequest(this.idpAnswer);
      // The redirect to the IdP came, its answer did not: the IdP is named, not the app's start page.
      const waiting = this.lastNavigation;
      const from = `the app sent the browser there from ${start}`;
      if ((error as Error)?.name === 'TimeoutError' && waiting?.origin === this.idp)
        throw this.noAnswer('app-sent-to-idp', waiting, from);
      // So did a connection to the IdP that failed (refused, reset, a name that does not resolve):
      // Chromium names the URL it was asked to open. Only once the app sent the browser on: an app
      // and IdP on one host share an origin, and its own start page was blamed on the IdP.
      const netError = /\bnet::[A-Z_]+/.exec(messageOf(error))?.[0];
      const sentOn = waiting && withoutQuery(waiting.href) !== withoutQuery(start);
      if (netError && waiting && isCertificateError(netError))
        throw this.certificateRefused('app-sent-to-idp', waiting, netError, sentOn ? ` (${from})` : '');
      if (netError && sentOn && waiting.origin === this.idp)
        throw new SignInError(
          'app-sent-to-idp',
          `the IdP did not answer ${withoutQuery(waiting.href)} (${from}): ${netError}`,
        );
      throw new SignInError('app-sent-to-idp', `could not open ${start}: ${firstLine(messageOf(error))}`);
    });
    // The app's script sent the browser on before the load event goto waits for, to a page whose
    // certificate the browser refused: the page is now Chromium's error page, which sends nowhere.
    this.throwIfCertificateRefused(start);
    // A single-page app's sign-in page sends the browser to the IdP from its script once loaded
    // (oidc-client-ts, MSAL: after fetching the IdP's metadata), after the load event goto waits for.
    if (!this.atIdp() && (await this.sendsOnByItself())) await this.followToIdp(start);
    // The IdP answered the authorize request at once by sending the browser back (an unknown scope,
    // a client not allowed the flow): its refusal, wherever the app then went.
    if (this.callbackError) throw this.refusedAtCallback();
    if (!this.atIdp())
      throw new SignInError(
        'app-sent-to-idp',
        `${start} ended at ${withoutQuery(this.page.url())} (HTTP ${this.landing?.status()}), not at the IdP ${this.idp}: ` +
          `check oidc.login_path in ${this.env.file} is where the app starts its sign-in (or any protected page, where a proxy signs in for it)`,
      );
    return { step: 'app-sent-to-idp', url: withoutQuery(this.page.url()), status: this.landing?.status() };
  }

  private atIdp(): boolean {
    return new URL(this.page.url()).origin === this.idp;
  }

  /** The app's page can move on by itself (a script, a meta refresh), and did not answer with an error. */
  private async sendsOnByItself(): Promise<boolean> {
    if ((this.landing?.status() ?? 0) >= 400) return false;
    return (await this.page.locator('script, meta[http-equiv="refresh" i]').count()) > 0;
  }

  /** The app's page sent the browser on to a page whose certificate the browser refused. */
  private throwIfCertificateRefused(start: string): void {
    const failed = this.lastNavigation;
    if (this.atIdp() || !failed || !this.navigationFailure || !isCertificateError(this.navigationFailure)) return;
    const from =
      withoutQuery(failed.href) === withoutQuery(start) ? '' : ` (the app's page sent the browser there from ${start})`;
    throw this.certificateRefused('app-sent-to-idp', failed, this.navigationFailure, from);
  }

  /**
   * Waits, up to a step's time, for the app's page to send the browser to the IdP, and takes the
   * IdP's answer as the landing (before, such an app failed at once, "ended at <login path>, not at
   * the IdP: check oidc.login_path", a setting that was right). An IdP that does not answer is named.
   */
  private async followToIdp(start: string): Promise<void> {
    await this.page.waitForURL(url => url.origin === this.idp, { timeout: this.timeout }).catch(() => {});
    const waiting = this.lastNavigation;
    this.throwIfCertificateRefused(start);
    if (!this.atIdp() && waiting?.origin === this.idp)
      throw this.unanswered
        ? this.noAnswer('app-sent-to-idp', waiting, `the app's page sent the browser there from ${start}`)
        : new SignInError(
            'app-sent-to-idp',
            `the IdP did not answer ${withoutQuery(waiting.href)} (the app's page sent the browser there from ${start})`,
          );
    if (this.atIdp() && this.idpAnswer) this.landing = this.idpAnswer;
  }

  /**
   * 2. The IdP shows its first page (the first login step's target), or refuses the authorization
   * request (unregistered redirect_uri, unknown client) with its error element or only a status.
   */
  async idpShowsItsFirstPage(): Promise<JourneyStep> {
    const landing = this.landing!;
    // A page with an error status is a refusal whatever it shows: said at once, in the IdP's words if it has any.
    if (landing.status() >= 400) throw await this.refusedRequest(landing, await this.errorWords());
    const first = this.required()[0];
    const shown = await this.firstShown({ form: targetOf(first), error: this.login.error });
    if (this.callbackError) throw this.refusedAtCallback();
    if (shown === 'error') throw await this.refusedRequest(landing, await this.errorWords());
    // Neither the form nor an error: a selector that is not the IdP's (a typo, another IdP's form)
    // as likely as a slow IdP, so the step, the page and where the driver is set are all named.
    if (shown !== 'form')
      throw new SignInError(
        'idp-showed-form',
        `${this.stepName(first)}: ${targetOf(first)} did not show within ${this.timeout} ms; ` +
          `${await this.pageShown()}; ${this.driverHint()}${this.requestDetails()}`,
      );
    return { step: 'idp-showed-form', url: withoutQuery(this.page.url()), status: landing.status() };
  }

  /**
   * 3. The login steps in order, each optional one taken once whenever it shows up (a required step
   * showing at the same time goes first); then the IdP sends the browser to the app's callback, or
   * refuses the credentials. Resolves with the callback's response.
   */
  async takeLoginSteps(): Promise<Response> {
    const pending = this.login.steps.filter(isOptional);
    for (const step of this.required()) {
      if (await this.takeRequired(step, pending)) break;
    }
    while (!this.callback) {
      const shown = await this.firstShown({ error: this.login.error, ...optionalTargets(pending) });
      if (shown === 'callback') break;
      if (shown === 'error' || (await this.errorWords()) !== undefined) throw await this.refusal('the last step');
      if (shown === 'nothing')
        throw (
          this.stillWaiting('after the last login step') ??
          (await this.formAgain()) ??
          (await this.stuckAfterLastStep())
        );
      await this.take(takeOptional(pending, shown));
    }
    return this.callback ?? this.callbackReached;
  }

  /**
   * After the last step, the password field is still there: the IdP showed its form again (a
   * refused password, said where no error element names it), or the form was never sent (no
   * navigation since, the field still holding the password filled). Undefined when it is gone.
   */
  private async formAgain(): Promise<SignInError | undefined> {
    const step = this.required().find(s => 'fill' in s && s.with === 'password');
    const field = step && this.page.locator(targetOf(step)).first();
    if (!field || !(await field.isVisible())) return undefined;
    // Not sent: no navigation since the password was filled, and the field still holds it (an IdP
    // that shows its form again may keep what was typed).
    const sent = this.navigations > this.navigationsAtPassword;
    if (!sent && (await field.inputValue({ timeout: 1000 }).catch(() => '')))
      return new SignInError(
        'idp-accepted-credentials',
        `after the last login step the IdP's form was still there, its password field filled: the form was not sent; ` +
          `${await this.pageShown()}; ${this.driverHint()}, and the last step must send the form`,
      );
    const { driver } = this.env.oidc.login;
    const errorField =
      driver === 'keycloak'
        ? `its error element is not Keycloak's: describe the form with driver: form and selectors.error in ${this.env.file}`
        : `set ${driver === 'form' ? 'oidc.login.selectors.error' : 'oidc.login.error'} in ${this.env.file} to the element where the IdP says why`;
    return new SignInError(
      'idp-accepted-credentials',
      `the IdP showed its sign-in form again after the password: it did not accept the credentials of "${this.user.username}"` +
        `${unmappedPersona(this.env, this.user)}; ${await this.pageShown()}; to have the IdP's words here, ${errorField}`,
      true,
    );
  }

  /** After the last step, neither the callback, an error nor the form: a page the driver does not know. */
  private async stuckAfterLastStep(): Promise<SignInError> {
    return new SignInError(
      'idp-accepted-credentials',
      `after the last login step, the browser reached neither the app's callback ${this.env.oidc.redirectUri} ` +
        `nor an IdP error within ${this.timeout} ms; ${await this.pageShown()}; ` +
        // A page after the password: one the driver can click through, or one for a person.
        `a page the IdP shows after the password on every sign-in (a "Continue", consent) is a step to add to ` +
        `oidc.login in ${this.env.file} ({ click: <its button>, optional: true }); one asking for something of ` +
        'the account (a new password, terms, a second factor) is to settle once at the IdP for that test account',
    );
  }

  /** 4. The app accepts the callback (state, PKCE, code exchange) and sets its session. */
  async appAcceptsCallback(callback: Response): Promise<JourneyStep> {
    const { redirectUri } = this.env.oidc;
    // The IdP's refusal after the login steps (access denied to this client, consent declined, a
    // required action it would not skip): not the app's to accept, however its callback answers.
    if (this.callbackError)
      throw new SignInError(
        'idp-accepted-credentials',
        `the IdP sent the browser back to the app's callback ${withoutQuery(callback.url())} with ${this.callbackError}, not with a code`,
      );
    if (!callback.url().startsWith(redirectUri))
      throw new SignInError(
        'app-accepted-callback',
        `the IdP sent the browser to ${withoutQuery(callback.url())}, the callback the app asked for (its redirect_uri), ` +
          `not the descriptor's ${redirectUri}: set oidc.redirect_path (or redirect_uri) in ${this.env.file} to the app's callback`,
      );
    const status = callback.status();
    if (status >= 400)
      throw new SignInError(
        'app-accepted-callback',
        `the app refused the callback ${withoutQuery(callback.url())} (HTTP ${status}): ${oneLine(await bodyWords(callback))}`,
      );
    return { step: 'app-accepted-callback', url: withoutQuery(callback.url()), status };
  }

  /**
   * 5. The browser lands in the app: on a page of the app's that is not the callback. That may be the
   * sign-in start itself where a reverse proxy signs in in front of the app: any protected page starts
   * the sign-in and the browser returns to it. An app that sends the browser back to the IdP right
   * after accepting the callback kept no session: said as soon as it happens, not after the timeout.
   */
  async landInApp(): Promise<JourneyStep> {
    const { redirectUri } = this.env.oidc;
    const landed = this.page.waitForURL(url => url.origin === this.app && !url.href.startsWith(redirectUri), {
      timeout: this.timeout,
    });
    landed.catch(() => {});
    const ending = await Promise.race([
      landed.then(() => ({ landed: true }) as const),
      this.sentBackToIdp.then(url => ({ sentBackTo: url })),
    ]).catch(() => 'timeout' as const);
    if (ending !== 'timeout' && 'sentBackTo' in ending)
      throw new SignInError(
        'landed-in-app',
        `right after accepting the callback the app sent the browser back to the IdP (${ending.sentBackTo}): ` +
          'it kept no session (was its session cookie set?)',
      );
    if (ending === 'timeout')
      throw new SignInError(
        'landed-in-app',
        `after the callback the browser did not land in the app within ${this.timeout} ms (now at ${withoutQuery(this.page.url())})`,
      );
    return { step: 'landed-in-app', url: withoutQuery(this.page.url()) };
  }

  /** Takes one required login step, after any optional ones that show up first; true when the callback came first. */
  private async takeRequired(step: SignInStepSpec, pending: SignInStepSpec[]): Promise<boolean> {
    const index = this.login.steps.indexOf(step);
    const what = this.stepName(step);
    for (;;) {
      if (this.callback) return true;
      const shown = await this.firstShown({
        step: targetOf(step),
        error: this.login.error,
        ...optionalTargets(pending),
      });
      if (shown === 'callback') return true;
      if (shown === 'error') throw await this.refusal(what);
      if (shown === 'nothing')
        throw (
          (index ? this.stillWaiting(`before ${what}`) : undefined) ??
          new SignInError(
            'idp-accepted-credentials',
            `${what}: ${targetOf(step)} did not show within ${this.timeout} ms${index ? ' after the previous step' : ''}; ` +
              `${await this.pageShown()}; ${this.driverHint()}`,
          )
        );
      // An optional page and the step's target can show at once: the required step goes first.
      if (shown !== 'step' && !(await this.page.locator(targetOf(step)).first().isVisible())) {
        await this.take(takeOptional(pending, shown));
        continue;
      }
      await this.take(step).catch(error => {
        // A click waits for the navigation it starts: a slow IdP times the click out.
        throw (
          this.stillWaiting(`after ${what}`) ??
          new SignInError('idp-accepted-credentials', `${what} failed: ${firstLine(messageOf(error))}`)
        );
      });
      if ('fill' in step && step.with === 'password') {
        this.passwordGiven = true;
        this.navigationsAtPassword = this.navigations;
      }
      return false;
    }
  }

  /** One login step, by its kind. */
  private async take(step: SignInStepSpec): Promise<void> {
    if ('fill' in step) await this.page.fill(step.fill, this.valueOf(step.with), { timeout: this.timeout });
    else if ('click' in step) await this.page.click(step.click, { timeout: this.timeout });
    else await this.page.locator(step.waitFor).first().waitFor({ timeout: this.timeout });
  }

  private valueOf(field: 'username' | 'email' | 'password'): string {
    if (field === 'password') return this.password;
    return field === 'email' ? this.user.email : this.user.username;
  }

  private required(): SignInStepSpec[] {
    return this.login.steps.filter(step => !isOptional(step));
  }

  /**
   * Which of the named targets shows first (the first named, when several show at once), or the
   * app's callback, or nothing within the step's timeout. One wait for any of them: a wait per
   * target left the others waiting until the test ended, each then a failed step in the reports
   * (4 a sign-in, e.g. the IdP's error element that never showed).
   */
  private async firstShown<Name extends string>(
    targets: Partial<Record<Name, string | undefined>>,
  ): Promise<Shown<Name>> {
    const named = Object.entries(targets).filter((entry): entry is [Name, string] => typeof entry[1] === 'string');
    const shownOne = (selector: string) => this.page.locator(selector).first();
    const callback = this.callbackReached.then(() => 'callback' as const);
    if (!named.length) return Promise.race([callback, this.timedOut()]);
    const deadline = Date.now() + this.timeout;
    for (;;) {
      const anyShown = named
        .map(([, selector]) => shownOne(selector))
        .reduce((either, other) => either.or(other))
        .filter({ visible: true })
        .first()
        .waitFor({ timeout: Math.max(deadline - Date.now(), 1) })
        .then(() => 'shown' as const);
      anyShown.catch(() => {});
      const first = await Promise.race([anyShown, callback]).catch(() => 'nothing' as const);
      if (first !== 'shown') return first;
      for (const [name, selector] of named) if (await shownOne(selector).isVisible()) return name;
      // Gone again before it was named (the page moved on): wait for what shows next.
    }
  }

  /** 'nothing' once a step's timeout has passed, for a wait with no target to see. */
  private timedOut(): Promise<'nothing'> {
    return new Promise(resolve => setTimeout(() => resolve('nothing'), this.timeout).unref());
  }

  /**
   * The page still waits for the answer to the navigation a step started (a form sent to the IdP):
   * the IdP is slow, not the driver wrong, though the page still shows the form it sent.
   */
  private stillWaiting(when: string): SignInError | undefined {
    const waiting = this.unanswered && new URL(this.unanswered.url());
    return waiting && this.noAnswer('idp-accepted-credentials', waiting, when);
  }

  /** No answer from `url` within a step's time, with the setting that gives it more. */
  private noAnswer(step: SignInStep, url: URL, when: string): SignInError {
    const who = url.origin === this.idp ? 'the IdP' : url.origin === this.app ? 'the app' : url.origin;
    return new SignInError(
      step,
      `${who} did not answer ${withoutQuery(url.href)} within ${this.timeout} ms (${when}); if it is slow rather ` +
        `than down, raise oidc.step_timeout_s in ${this.env.file} (now ${this.env.oidc.stepTimeoutS})`,
    );
  }

  /**
   * The browser refused the certificate of the server at `url`: not a server that did not answer
   * (it did, with a certificate), and for the CA's case the setting that makes the browser trust it.
   */
  private certificateRefused(step: SignInStep, url: URL, netError: string, from: string): SignInError {
    const file = this.env.file;
    const check = `\`packgate env check ${this.env.name}\` checks each URL's certificate`;
    const what =
      netError !== 'net::ERR_CERT_AUTHORITY_INVALID'
        ? `the browser refused the certificate of ${url.origin} (${netError}) at ${withoutQuery(url.href)}${from}: ` +
          `it must be valid for that host name and date; ${check}`
        : this.env.tls
          ? `the browser does not trust the certificate of ${url.origin} (${netError}) at ${withoutQuery(url.href)}${from}: ` +
            `it is not issued by the CA tls.ca_file names in ${file}; point tls.ca_file at the ` +
            `certificate (PEM) of the CA that issued it; ${check}`
          : `the browser does not trust the certificate of ${url.origin} (${netError}) at ${withoutQuery(url.href)}${from}: ` +
            `if a private CA issued it, set tls.ca_file in ${file} to that CA's certificate (PEM); ${check}`;
    return new SignInError(step, what);
  }

  /** Whether a URL is the app's callback: the descriptor's, or the redirect_uri the app sent the IdP. */
  private isCallback(url: string): boolean {
    const asked = this.authorize?.searchParams.get('redirect_uri');
    return url.startsWith(this.env.oidc.redirectUri) || (!!asked && url.startsWith(asked));
  }

  /** The IdP refused the authorization request by sending the browser back to the callback with an error. */
  private refusedAtCallback(): SignInError {
    return new SignInError(
      'idp-showed-form',
      `the IdP refused the authorization request, sending the browser back to the app's callback with ${this.callbackError}${this.requestDetails()}`,
    );
  }

  /** The IdP refused the authorization request the app sent the browser with. */
  private async refusedRequest(answer: Response, words?: string): Promise<SignInError> {
    return new SignInError(
      'idp-showed-form',
      `the IdP refused the authorization request (HTTP ${answer.status()}): ` +
        `${oneLine(words ?? (await answerWords(answer))) || '(empty page)'}${this.requestDetails()}`,
    );
  }

  /**
   * The IdP showed its error element during the login steps: refused credentials once a password
   * was given, unless its words say the account is locked or disabled. That one is not a wrong
   * password nor a missing account (what a refused credential makes a seed check say), and a run
   * with the password set again would only keep it locked.
   */
  private async refusal(during: string): Promise<SignInError> {
    const words = oneLine((await this.errorWords()) ?? '');
    // "2 attempts left before your account is locked" refuses the password: read as a lock, it sent
    // the reader to wait for an unlock and run again with the same wrong password, which locks it.
    const unwarned = words.replace(LOCK_WARNING, '');
    const warnsOfLock = unwarned !== words;
    if (this.passwordGiven && LOCKED_ACCOUNT.test(unwarned))
      return new SignInError(
        'idp-accepted-credentials',
        `the IdP refused the account "${this.user.username}" as locked or disabled: ${words}; enable it at the IdP, ` +
          'or wait for it to unlock (an IdP may lock an account after failed sign-ins, such as runs with a wrong password)',
        false,
        true,
      );
    return this.passwordGiven
      ? new SignInError(
          'idp-accepted-credentials',
          `the IdP refused the credentials of "${this.user.username}": ${words}${unmappedPersona(this.env, this.user)}` +
            (warnsOfLock ? '; correct them before another run, or the IdP locks the account' : ''),
          true,
        )
      : new SignInError('idp-accepted-credentials', `the IdP refused ${during}: ${words}`);
  }

  private async errorWords(): Promise<string | undefined> {
    const error = this.login.error && this.page.locator(this.login.error).first();
    return error && (await error.isVisible()) ? error.innerText() : undefined;
  }

  private requestDetails(): string {
    const authorize = this.authorize;
    return authorize
      ? ` (redirect_uri=${authorize.searchParams.get('redirect_uri')}, client_id=${authorize.searchParams.get('client_id')})`
      : '';
  }

  /** `login step <n> of <all> (<what it does>)`, as the driver's steps are numbered. */
  private stepName(step: SignInStepSpec): string {
    return `login step ${this.login.steps.indexOf(step) + 1} of ${this.login.steps.length} (${describeStep(step)})`;
  }

  /** Where a login step that did not fit the IdP's page is set. */
  private driverHint(): string {
    return `check oidc.login in ${this.env.file}: its selectors must match the IdP's pages`;
  }

  /** What the page showed, and where: `the page showed "<words>" (at <url without its query>)`. */
  private async pageShown(): Promise<string> {
    return `the page showed "${await this.pageWords()}" (at ${withoutQuery(this.page.url())})`;
  }

  /** The start of what the page shows, in one line: enough to tell a wrong page from a slow one. */
  private async pageWords(): Promise<string> {
    const text = await this.page
      .locator('body')
      .innerText({ timeout: 1000 })
      .catch(() => '');
    const line = oneLine(text);
    return line.length > 160 ? `${line.slice(0, 157)}...` : line || '(nothing)';
  }
}

/**
 * An IdP's words for an account it will not sign in whatever the password: Keycloak's "Account is
 * disabled" and "Account is temporarily disabled" (brute-force protection), others' locked,
 * suspended, blocked or deactivated accounts.
 */
const LOCKED_ACCOUNT = /\b(locked|disabled|suspended|blocked|deactivated)\b/i;

/** Words that warn of a lock to come after more failed sign-ins, not of one in place. */
const LOCK_WARNING =
  /\b(?:will|would|may|might|could|can)\s+(?:be|get)\s+(?:temporarily\s+)?(?:locked|disabled|suspended|blocked|deactivated)\b|\bbefore\s+(?:your|the|this)\s+account\s+(?:is|gets)\s+(?:temporarily\s+)?(?:locked|disabled|suspended|blocked|deactivated)\b/gi;

/** Optional steps not taken yet, named by their place in the list (`optional-0`, ...). */
function optionalTargets(pending: readonly SignInStepSpec[]): Record<string, string> {
  return Object.fromEntries(pending.map((step, i) => [`optional-${i}`, targetOf(step)]));
}

/** The optional step `optional-<i>` names, taken off the pending list: each is taken once. */
function takeOptional(pending: SignInStepSpec[], name: string): SignInStepSpec {
  return pending.splice(Number(name.slice('optional-'.length)), 1)[0];
}

function isOptional(step: SignInStepSpec): boolean {
  return 'optional' in step && step.optional;
}

function targetOf(step: SignInStepSpec): string {
  return 'fill' in step ? step.fill : 'click' in step ? step.click : step.waitFor;
}

function describeStep(step: SignInStepSpec): string {
  if ('fill' in step) return `fill ${step.fill} with the ${step.with}`;
  if ('click' in step) return `click ${step.click}`;
  return `wait for ${step.waitFor}`;
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

/**
 * The OAuth error a redirect to the callback carries (RFC 6749 4.1.2.1), said as `error=<code>: "<description>"`.
 * The rest of its query (state, a code) is left out: it is not the IdP's words.
 */
function idpError(url: URL): string {
  const description = url.searchParams.get('error_description');
  const words = description ? oneLine(description) : '';
  return `error=${url.searchParams.get('error')}${words ? `: "${words.length > 300 ? `${words.slice(0, 297)}...` : words}"` : ''}`;
}

/** URLs in journeys and errors lose their query: it carries codes and states. */
/** A Chromium network error about the server's certificate (untrusted issuer, wrong name, expired). */
function isCertificateError(netError: string): boolean {
  return /^net::ERR_CERT_/.test(netError);
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function messageOf(error: unknown): string {
  return String((error as Error)?.message ?? error);
}
