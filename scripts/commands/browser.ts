import { aptHasPackage, findChromium, installSystemPackages, NO_BROWSER_HINT } from '../../src/browser/chromium.ts';

const HEADLESS_SHELL_PACKAGE = 'chromium-headless-shell';

/**
 * Makes sure the browser layers have a Chromium: Playwright's own when present, else a system one,
 * else Debian's chromium installed with apt-get, else a message saying what to do. Beside a system
 * Chromium it adds Debian's chromium-headless-shell where apt-get can: headless runs start about
 * twice as fast with it, and nothing needs it.
 */
export function browserEnsure(options: { postinstall?: boolean }): void {
  const log = (line: string) => process.stdout.write(`packgate: ${line}\n`);
  let found = findChromium();
  let installed = false;
  if (!found) {
    log("no Chromium found (Playwright cannot download its own here); installing Debian's chromium...");
    const chromium = installSystemPackages(['chromium'], log);
    found = chromium.ok ? findChromium() : undefined;
    if (!found) {
      const why = chromium.ok ? 'apt-get finished but no Chromium is at a known path' : chromium.why;
      process.stderr.write(`packgate: no Chromium for the browser layers: ${why}\n  hint: ${NO_BROWSER_HINT}\n`);
      if (!options.postinstall) process.exitCode = 1;
      return;
    }
    installed = true;
  }
  if (found.source === 'system' && !found.headlessShell && aptHasPackage(HEADLESS_SHELL_PACKAGE)) {
    const shell = installSystemPackages([HEADLESS_SHELL_PACKAGE], log);
    if (shell.ok) {
      found = findChromium() ?? found;
      installed = true;
    } else if (!options.postinstall) log(`headless runs use the full Chromium: ${shell.why}`);
  }
  if (installed || !options.postinstall) log(`browser: ${describe(found)}`);
}

function describe(choice: NonNullable<ReturnType<typeof findChromium>>): string {
  if (choice.source === 'playwright') return "Playwright's own Chromium";
  const source = choice.source === 'env' ? 'PACKGATE_CHROMIUM' : 'system';
  const headless = choice.headlessShell ? `; ${choice.headlessShell} for headless runs` : '';
  return `${choice.executablePath} (${source})${headless}`;
}
