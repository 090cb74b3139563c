import { findRoot, loadCatalogue } from '../catalogue/load.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../diagnostics/format.ts';
import { resolveEnvironment } from '../environment/resolve.ts';
import { requestedFaults } from '../faults.ts';
import { browserFor } from './browser-choice.ts';
import type { GateSetup } from './gate-setup.ts';
import { planProjects, toPlaywrightProjects } from './projects.ts';
import { writeRunPlan } from './run-plan.ts';
import { projectSelection } from './selection.ts';
import { buildWebServers } from './web-servers.ts';

/**
 * The runner's half of gateSetup: validates the catalogue, plans the projects, checks that every
 * environment the run selects resolves (its URLs and client id; secrets are looked up only when a
 * test needs one), finds the browser, writes the run plan for the workers, and builds the web servers.
 */
export function setUpRun(configDir: string, argv: readonly string[]): GateSetup {
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
  const selected = plans.filter(p => selection.selects(p.name, p.isDefault));
  for (const name of new Set(selected.map(p => p.metadata.environment))) resolveEnvironment(catalogue, name);
  const browser = browserFor(plans, selected);
  writeRunPlan(catalogue, plans, faults);
  return {
    projects: toPlaywrightProjects(plans, browser),
    webServers: buildWebServers(catalogue, plans, selection, faults),
  };
}
