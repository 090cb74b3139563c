import { releaseStages } from '../schema/constants.ts';
import type { Environment } from '../schema/environment.ts';

/**
 * How an environment's gate judges: its descriptor's `gate:` with every rule its stage's default
 * where the descriptor leaves it out (the schema says what each rule means).
 */
export type GateRules = Required<Environment['gate']>;

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
