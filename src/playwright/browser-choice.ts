import { chromiumLaunchOptions, findChromium, noBrowserError } from '../browser/chromium.ts';
import type { BrowserLaunch, ProjectPlan } from './projects.ts';

/**
 * The browser for the projects that drive one (or sign in through one). A missing browser is an
 * error only when one of the `selected` projects needs it: an api-only run works without Chromium.
 */
export function browserFor(
  plans: readonly ProjectPlan[],
  selected: readonly ProjectPlan[] = [],
): BrowserLaunch | undefined {
  if (!plans.some(p => p.usesBrowser)) return undefined;
  const choice = findChromium();
  if (choice) return { ...chromiumLaunchOptions(choice), headlessShell: choice.headlessShell };
  if (selected.some(p => p.usesBrowser)) throw noBrowserError();
  return undefined;
}
