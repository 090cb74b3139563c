import {
  aptHasPackage,
  findChromium,
  installSystemPackages,
  NO_BROWSER_HINT,
  playwrightBuilds,
  type ChromiumChoice,
} from '../../src/browser/chromium.ts';
import { PackgateError } from '../../src/diagnostics/errors.ts';

const HEADLESS_SHELL_PACKAGE = 'chromium-headless-shell';

/**
 * Makes sure the browser layers have a Chromium: Playwright's own when present, else a system one,
 * else Debian's chromium installed with apt-get, else a message saying what to do. Beside a system
 * Chromium it adds Debian's chromium-headless-shell where apt-get can: headless runs start about
 * twice as fast with it, and nothing needs it. Where there is only a headless build, it adds the
 * full chromium for headed runs (a manual check, --headed) where it can; headless runs need nothing more.
 * With --postinstall (npm install) it never fails: a PACKGATE_CHROMIUM that names no executable is
 * said, as a missing browser is, and npm install goes on.
 */
export function browserEnsure(options: { postinstall?: boolean }): void {
  const log = (line: string) => process.stdout.write(`packgate: ${line}\n`);
  let found: ChromiumChoice | undefined;
  try {
    found = findChromium();
  } catch (error) {
    if (!(options.postinstall && error instanceof PackgateError)) throw error;
    process.stderr.write(`packgate: ${error.message}\n`);
    return;
  }
  for (const { executable, why } of playwrightBuilds().unusable ?? [])
    log(
      `Playwright's ${executable} does not run here (${why}), so it is not used; ` +
        '`sudo npx playwright install-deps chromium` installs the system libraries it needs',
    );
  let installed = false;
  if (!found) {
    log("no Chromium found (Playwright cannot download its own here); installing Debian's chromium...");
    const chromium = installSystemPackages(['chromium'], log);
    found = chromium.ok ? findChromium() : undefined;
    if (!found || found.headlessOnly) {
      const why = chromium.ok ? 'apt-get finished but no Chromium is at a known path' : chromium.why;
      process.stderr.write(`packgate: no Chromium for the browser layers: ${why}\n  hint: ${NO_BROWSER_HINT}\n`);
      if (!options.postinstall) process.exitCode = 1;
      return;
    }
    installed = true;
  } else if (found.headlessOnly && found.source !== 'env') {
    log(`only a headless build of Chromium (${found.executablePath}); installing Debian's chromium for headed runs...`);
    const chromium = installSystemPackages(['chromium'], log);
    const now = chromium.ok ? findChromium() : undefined;
    if (now && !now.headlessOnly) {
      found = now;
      installed = true;
    } else {
      const why = chromium.ok ? 'apt-get finished but no Chromium is at a known path' : chromium.why;
      log(`headless runs use it; headed ones (a manual check, --headed) need the full Chromium: ${why}`);
    }
  }
  if (
    found.source === 'system' &&
    !found.headlessShell &&
    !found.headlessOnly &&
    aptHasPackage(HEADLESS_SHELL_PACKAGE)
  ) {
    const shell = installSystemPackages([HEADLESS_SHELL_PACKAGE], log);
    if (shell.ok) {
      found = findChromium() ?? found;
      installed = true;
    } else if (!options.postinstall) log(`headless runs use the full Chromium: ${shell.why}`);
  }
  if (installed || !options.postinstall) log(`browser: ${describe(found)}`);
}

/** Which executable each kind of run launches, and where it comes from. */
function describe(choice: ChromiumChoice): string {
  if (!choice.executablePath) return "Playwright's own Chromium (and its headless shell for headless runs)";
  const source =
    choice.source === 'env' ? 'PACKGATE_CHROMIUM' : choice.source === 'playwright' ? "Playwright's own" : 'system';
  if (choice.headlessOnly) return `${choice.executablePath} (${source}), headless runs only: no full Chromium`;
  const headless = choice.headlessShell ? `; ${choice.headlessShell} for headless runs` : '';
  return `${choice.executablePath} (${source})${headless}`;
}
