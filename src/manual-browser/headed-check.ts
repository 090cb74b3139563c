import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../browser/chromium.ts';
import { filmPages } from '../browser/screencast.ts';
import { launchTrusting } from '../browser/trust-store.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { accountOf } from '../environment/accounts.ts';
import type { ResolvedEnvironment } from '../environment/resolve.ts';
import { SignInError, walkSignIn } from '../oidc/browser-sign-in.ts';
import type { PathRef } from '../schema/common.ts';
import type { ManualCheck } from '../schema/manual-check.ts';
import type { Pack } from '../schema/pack.ts';
import type { SeedUser } from '../schema/seed.ts';
import { freePorts } from '../net/free-port.ts';

/** What a headed session leaves: the trace and videos of what the person did, in `dir`. */
export type HeadedSession = {
  trace: string;
  /** A film of each page, the start page's first; a page closed before its first frame has none. */
  videos: string[];
  signedInAs: string | undefined;
};

export type HeadedOptions = {
  env: ResolvedEnvironment;
  pack: Pack;
  check: ManualCheck;
  /** The pack's identity as a seed user, when it signs in. */
  identity: SeedUser | undefined;
  dir: string;
  /**
   * Opens Chromium's remote debugging on this loopback port (0: a free one) and says where, so an
   * assistive or scripted tool can drive the same browser the person watches.
   */
  debugPort?: number;
  /** Told what happens: the start URL, the debugging endpoint. */
  say(line: string): void;
};

/**
 * A manual check in a headed browser:
 * 1. Chromium opens with a window and a trace recording (snapshots and screenshots);
 * 2. it signs in as the pack's identity through the environment's real sign-in (the same walk the
 *    sign-in setup takes), then opens the check's start URL;
 * 3. it films the page from there, and each page the person opens from it (see filmPages), and waits
 *    for the person to close the start page (Playwright's browser outlives its windows, so the trace
 *    can still be written), then stops the trace and keeps the videos.
 * Its caller checks for a display first (checkDisplay), before it tells the person the steps.
 */
export async function runHeadedCheck(options: HeadedOptions): Promise<HeadedSession> {
  const { env, pack, check, identity, dir, say } = options;
  const choice = findChromium();
  if (!choice) throw noBrowserError();
  const start = startUrl(env, pack, check);
  const launch = chromiumLaunchOptions(choice, { headless: false });
  const port = options.debugPort === undefined ? undefined : options.debugPort || (await freePorts(1))[0];
  // An environment with its own CA (tls.ca_file): trusted as the gate's browsers trust it.
  const browser = await launchTrusting(
    {
      ...launch,
      headless: false,
      args: [
        ...launch.args,
        ...(port ? [`--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'] : []),
      ],
    },
    env,
  );
  fs.mkdirSync(dir, { recursive: true });
  const trace = path.join(dir, 'trace.zip');
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: env.insecureOverride });
    await context.tracing.start({ screenshots: true, snapshots: true, title: `${pack.id}/${check.id}` });
    const page = await context.newPage();
    if (identity) await signIn(page, env, identity);
    await page.goto(start);
    const filming = await filmPages(page, dir);
    await filming.first.still(); // the page as the person first sees it, however soon they close it
    say(`opened ${start}${identity ? ` signed in as ${identity.id}` : ''}`);
    if (port) say(`remote debugging: http://127.0.0.1:${port}`);
    say('close the page when you are done');
    await page.waitForEvent('close', { timeout: 0 });
    await context.tracing.stop({ path: trace });
    const films = await filming.stop();
    await context.close();
    return { trace, videos: films.filter(f => f.frames).map(f => f.file), signedInAs: identity?.id };
  } finally {
    await browser.close();
  }
}

/**
 * The pack's identity signed in through the environment's login steps; the session stays in the
 * context. A sign-in that fails is the environment saying no (exit 1), in the step's words.
 */
async function signIn(page: Page, env: ResolvedEnvironment, user: SeedUser): Promise<void> {
  const account = accountOf(user, env.identities);
  try {
    await walkSignIn(page, env, account, env.secrets.get(account.passwordSecret));
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    throw new PackgateError(
      'SIGN_IN_FAILED',
      `the browser could not sign in as "${account.username}" in environment "${env.name}": ${error.message}`,
      {
        hint:
          `\`packgate env check ${env.name}\` checks its URLs, its IdP and each account's sign-in` +
          // packgate starts an environment's stack for a gate run, not for a manual check.
          (env.stack ? `; its stack must be up: \`npx packgate stack start --env ${env.name}\`` : ''),
        cause: error,
      },
    );
  }
}

/**
 * A headed browser needs a display: on Linux, an X server or a Wayland compositor named in the
 * environment. Said before the check starts, not as Playwright's launch error after it.
 */
export function checkDisplay(): void {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return;
  throw new PackgateError(
    'DISPLAY_MISSING',
    'a manual check opens a headed browser for a person, and this machine has no display (DISPLAY is not set)',
    { hint: 'run it on a desktop, or under a virtual display: `xvfb-run -a npx packgate manual run ...`' },
  );
}

/** The check's start path (the environment's override of it first) on its base URL. */
export function startUrl(env: ResolvedEnvironment, pack: Pack, check: ManualCheck): string {
  const ref: PathRef | undefined = env.overrides[pack.id]?.paths[check.start] ?? pack.paths[check.start];
  if (ref === undefined)
    throw new PackgateError('PACK_INCOMPLETE', `pack "${pack.id}" has no path "${check.start}"`, {
      hint: `add it under paths: in the pack's pack.yaml`,
    });
  const { base, path: at } = typeof ref === 'string' ? { base: 'app' as const, path: ref } : ref;
  const root =
    base === 'auth' ? env.urls.authIssuer : base === 'idp' ? new URL(env.urls.authIssuer).origin : env.urls[base];
  if (!root)
    throw new PackgateError('ENV_VALUE_MISSING', `environment "${env.name}" has no urls.${base}`, {
      hint: `add it to ${env.file}: manual check ${check.id} starts on it`,
    });
  return `${root}${at}`;
}
