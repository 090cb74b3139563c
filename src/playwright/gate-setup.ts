import type { PlaywrightTestConfig } from '@playwright/test';
import { chromiumLaunchOptions, findChromium, noBrowserError } from '../browser/chromium.ts';
import { findRoot, loadCatalogue, type Catalogue } from '../catalogue/load.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../diagnostics/format.ts';
import { requestedFaults } from '../faults.ts';
import { planProjects, toPlaywrightProjects, type BrowserLaunch, type ProjectPlan } from './projects.ts';
import { projectSelection, type ProjectSelection } from './selection.ts';
import { buildWebServers } from './web-servers.ts';

export type GateSetup = {
  catalogue: Catalogue;
  projects: NonNullable<PlaywrightTestConfig['projects']>;
  webServers: ReturnType<typeof buildWebServers>;
};

/**
 * Everything playwright.config.ts needs from the catalogue: projects per environment and layer, and
 * the stacks the selected projects run against. A broken catalogue, an unknown fault or a missing
 * browser stops the run here with the problems listed and exit code 2, before anything starts.
 */
export function gateSetup(configDir: string, argv: readonly string[] = process.argv): GateSetup {
  try {
    const root = findRoot(configDir);
    const { catalogue, diagnostics } = loadCatalogue(root);
    if (!catalogue || hasErrors(diagnostics)) {
      process.stderr.write(
        `packgate: the catalogue has problems (${summarizeDiagnostics(diagnostics)}):\n${formatDiagnostics(diagnostics)}\n`,
      );
      process.exit(2);
    }
    const faults = requestedFaults(catalogue);
    const selection = projectSelection(argv);
    const plans = planProjects(catalogue);
    const projects = toPlaywrightProjects(catalogue, plans, browserFor(plans, selection));
    // Only the runner process starts web servers; workers load the config too but must not redo this.
    const webServers = isWorker() ? [] : buildWebServers(catalogue, plans, selection, faults);
    return { catalogue, projects, webServers };
  } catch (error) {
    if (!(error instanceof PackgateError)) throw error;
    process.stderr.write(`packgate: ${error.message}\n`);
    process.exit(2);
  }
}

/** Finds the browser when any project drives one; a missing one is an error only when such a project runs. */
function browserFor(plans: ProjectPlan[], selection: ProjectSelection): BrowserLaunch | undefined {
  const browserPlans = plans.filter(p => p.usesBrowser);
  if (!browserPlans.length) return undefined;
  const choice = findChromium();
  if (choice) return chromiumLaunchOptions(choice);
  if (!isWorker() && browserPlans.some(p => selection.selects(p.name, p.isDefault))) throw noBrowserError();
  return undefined;
}

function isWorker(): boolean {
  return process.env.TEST_WORKER_INDEX !== undefined;
}
