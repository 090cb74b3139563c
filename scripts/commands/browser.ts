import { findChromium, installSystemChromium, NO_BROWSER_HINT } from '../../src/browser/chromium.ts';

/**
 * Makes sure the browser layers have a Chromium: Playwright's own when present, else a system one,
 * else Debian's chromium installed with apt-get, else a message saying what to do.
 */
export function browserEnsure(options: { postinstall?: boolean }): void {
  const log = (line: string) => process.stdout.write(`packgate: ${line}\n`);
  const found = findChromium();
  if (found) {
    if (!options.postinstall) log(`browser: ${describe(found)}`);
    return;
  }
  log("no Chromium found (Playwright cannot download its own here); installing Debian's chromium...");
  const installed = installSystemChromium(log);
  const after = installed.ok ? findChromium() : undefined;
  if (after) {
    log(`browser: ${describe(after)}`);
    return;
  }
  const why = installed.ok ? 'apt-get finished but no Chromium is at a known path' : installed.why;
  process.stderr.write(`packgate: no Chromium for the browser layers: ${why}\n  hint: ${NO_BROWSER_HINT}\n`);
  if (!options.postinstall) process.exitCode = 1;
}

function describe(choice: NonNullable<ReturnType<typeof findChromium>>): string {
  return choice.source === 'playwright'
    ? "Playwright's own Chromium"
    : `${choice.executablePath} (${choice.source === 'env' ? 'PACKGATE_CHROMIUM' : 'system'})`;
}
