import { chromiumLaunchOptions, findChromium, noBrowserError } from '../browser/chromium.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import type { ProjectPlan } from '../catalogue/project-plan.ts';
import { isTestRun, isTestServerSession, isUiMode, readCommandLine, type CommandLine } from '../run/command-line.ts';
import type { BrowserLaunch } from '../run/run-plan.ts';

/**
 * The browser for the projects that drive one (or sign in through one). A missing browser is an
 * error only when one of the `selected` projects needs it in a run of tests: an api-only run, a
 * listing and a merge of reports work without Chromium.
 * Headless runs launch the headless build of the same Chromium when the machine has one (Debian's
 * chromium-headless-shell): about twice as fast to start a browser and its first page, as
 * Playwright does with its own downloads. A headed run (`--headed`, `--debug`, `--ui`) keeps the
 * full browser. Decided here, in the runner: workers do not see the command line.
 */
export function browserFor(
  plans: readonly ProjectPlan[],
  selected: readonly ProjectPlan[] = [],
  commandLine: CommandLine = readCommandLine(),
  env: Record<string, string | undefined> = process.env,
): BrowserLaunch | undefined {
  if (!plans.some(p => p.usesBrowser)) return undefined;
  // Only a run of tests launches one: a listing (`--list`, `packgate tests`) and a merge of shards'
  // reports (a CI job on a machine without browsers) do not.
  const runsTests = isTestRun(commandLine) || isTestServerSession(commandLine);
  const needed = runsTests && selected.some(p => p.usesBrowser);
  try {
    const choice = findChromium(env);
    if (!choice) throw noBrowserError();
    return chromiumLaunchOptions(choice, { headless: !headed(commandLine, env) });
  } catch (error) {
    // No browser to launch (none found, PACKGATE_CHROMIUM naming nothing, only a headless build for
    // a --headed run) stops the runs that drive one, not an api-only run of the same catalogue.
    if (needed || !(error instanceof PackgateError && error.code === 'BROWSER_NOT_FOUND')) throw error;
    return undefined;
  }
}

function headed(commandLine: CommandLine, env: Record<string, string | undefined>): boolean {
  const { options } = commandLine;
  return !!(options.headed || options.debug || isUiMode(commandLine) || env.PWDEBUG);
}
