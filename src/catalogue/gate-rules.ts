import { releaseStages } from '../schema/constants.ts';
import type { Environment } from '../schema/environment.ts';

/** How an environment's gate judges: what its descriptor says, else its stage's defaults. */
export type GateRules = {
  /** Whether a flaky test (passed on retry) blocks. */
  flaky: 'block' | 'warn';
  /** Every pack targeting the environment must run (release stages): unselected means NOT_RUN. */
  requireAllPacks: boolean;
  retries: number;
};

/** The gate's rules for an environment, defaults filled in by stage. Needs no env var. */
export function gateRules(env: Environment): GateRules {
  const release = releaseStages.has(env.stage);
  return {
    flaky: env.gate.flaky ?? (env.stage === 'prod' ? 'block' : 'warn'),
    requireAllPacks: env.gate.requireAllPacks ?? release,
    retries: env.gate.retries ?? 1,
  };
}

/** Whether `npx playwright test` without --project runs this environment's projects. */
export function runsByDefault(env: Environment): boolean {
  return env.runByDefault ?? env.kind === 'embedded';
}
