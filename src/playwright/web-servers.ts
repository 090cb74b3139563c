import type { PlaywrightTestConfig } from '@playwright/test';
import type { Catalogue } from '../catalogue/load.ts';
import { stackFingerprint } from '../environment/fingerprint.ts';
import { FAULTS_VAR, OWNER_PID_VAR, stackSettings } from '../faults/faults.ts';
import type { ProjectPlan } from '../catalogue/project-plan.ts';
import type { ProjectSelection } from './selection.ts';
import { resolveEnvironment } from '../environment/resolve.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';
import { PackgateError } from '../diagnostics/errors.ts';
import { oneOf } from '../diagnostics/nearest.ts';

type WebServer = Extract<NonNullable<PlaywrightTestConfig['webServer']>, { command: string }>;

/** Set to `never` to run against a stack you started yourself, `always` to start every stack. */
export const STACK_VAR = 'PACKGATE_STACK';

/** Whether a project reaches its environment's URLs: all but the unit layer, which runs the product's own tests. */
export function reachesUrls(plan: ProjectPlan): boolean {
  return !(plan.kind === 'packs' && plan.metadata.layer === 'unit');
}

const STACK_MODES = ['auto', 'always', 'never'] as const;

/** PACKGATE_STACK, unset or empty meaning auto. Anything else is refused: a typo (`nevr`) started stacks. */
function stackMode(processEnv: Record<string, string | undefined>): (typeof STACK_MODES)[number] {
  const given = processEnv[STACK_VAR]?.trim() || 'auto';
  const mode = STACK_MODES.find(m => m === given);
  if (mode) return mode;
  throw new PackgateError('INPUT_INVALID', `${STACK_VAR}=${given} is not understood`, {
    hint: `${oneOf(given, STACK_MODES)} (auto starts the stacks of the environments the run selects)`,
  });
}

/**
 * The environments whose stacks a run starts: each embedded or parity environment it selects a
 * project of (the unit layer reads a report, and needs none), every one with `PACKGATE_STACK=always`,
 * none with `never`.
 */
export function stackEnvironments(
  catalogue: Catalogue,
  plans: readonly ProjectPlan[],
  selection: ProjectSelection,
  processEnv = process.env,
): string[] {
  const mode = stackMode(processEnv);
  if (mode === 'never') return [];
  return [...catalogue.environments]
    .filter(([, { value: env }]) => env.stack)
    .map(([name]) => name)
    .filter(
      name =>
        mode === 'always' ||
        plans.some(p => p.metadata.environment === name && reachesUrls(p) && selection.selects(p.name, p.isDefault)),
    );
}

/**
 * A `webServer` for the stack of each environment the run starts one of (`stacks`: stackEnvironments).
 *
 * The ready URL carries the stack's fingerprint (faults, settings, URLs, hashed secrets) and a stack
 * answers 404 for any other, so `reuseExistingServer` reuses a running stack only when it is exactly
 * the one this run needs; a stack with other faults or shape makes the start fail on its port instead
 * of being used.
 */
export function buildWebServers(
  catalogue: Catalogue,
  stacks: readonly string[],
  faults: readonly string[],
  processEnv = process.env,
): WebServer[] {
  const servers: WebServer[] = [];
  for (const name of stacks) {
    const env = catalogue.environments.get(name)!.value;
    if (!env.stack) continue;
    const resolved = resolveEnvironment(catalogue, name, processEnv);
    const fingerprint = stackFingerprint(resolved, faults, stackSettings(processEnv));
    servers.push({
      name: `stack:${name}`,
      command: env.stack.command,
      cwd: catalogue.root,
      url: `${resolved.stack?.readyUrl ?? resolved.urls.app}${env.stack.readyPath}?fingerprint=${fingerprint}`,
      reuseExistingServer: true,
      // A stack packgate starts says when it is ready: the run goes on at once instead of at the next
      // poll of the URL (Playwright's back-off waits up to a second). Another command is polled as before.
      wait: { stdout: new RegExp(`^packgate stack "${escapeRegExp(name)}" ready: `, 'm') },
      timeout: env.stack.startTimeoutS * 1000,
      // The runner's pid: a run killed or hung up on (a closed terminal) passes no signal on, and the stack stops by itself.
      env: { [FAULTS_VAR]: faults.join(','), [OWNER_PID_VAR]: String(process.pid) },
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 3000 },
    });
  }
  return servers;
}
