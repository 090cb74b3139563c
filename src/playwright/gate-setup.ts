import type { PlaywrightTestConfig } from '@playwright/test';
import { PackgateError } from '../diagnostics/errors.ts';
import { toPlaywrightProjects } from './projects.ts';
import { currentRunPlan } from '../run/run-plan.ts';

export type GateSetup = {
  projects: NonNullable<PlaywrightTestConfig['projects']>;
  webServers: Extract<NonNullable<PlaywrightTestConfig['webServer']>, unknown[]>;
  /** The printing reporter, the gate's, and for a shard the blob report merge-reports reads. */
  reporters: Array<[string] | [string, unknown]>;
  /** Run once the stacks are up, before any worker starts: the trust of environments' own CAs. */
  globalSetup: string[];
  /** What the run runs under, for the verdict of a merge of its shards (src/run/run-conditions.ts). */
  metadata: Record<string, unknown>;
};

/**
 * Everything playwright.config.ts needs from the catalogue: projects per environment and layer, and
 * the stacks the selected projects run against.
 *
 * The runner loads and validates the catalogue once and writes a run plan (see run-setup.ts); every
 * worker loads the config again and builds the same projects from that plan, without touching YAML
 * or zod. Problems stop the run in the runner, listed, with exit code 2, before anything starts.
 */
export async function gateSetup(configDir: string, argv: readonly string[] = process.argv): Promise<GateSetup> {
  const plan = process.env.TEST_WORKER_INDEX !== undefined ? currentRunPlan() : undefined;
  if (plan)
    return {
      projects: toPlaywrightProjects(plan.projects, plan.browser),
      webServers: [],
      reporters: [],
      globalSetup: [],
      metadata: {},
    };
  try {
    // Imported here: workers never need the loader, and it brings in yaml and zod.
    const { setUpRun } = await import('./run-setup.ts');
    return await setUpRun(configDir, argv);
  } catch (error) {
    if (!(error instanceof PackgateError)) throw error;
    process.stderr.write(`packgate: ${error.message}\n`);
    process.exit(error.exitCode);
  }
}
