import path from 'node:path';
import type { PlaywrightTestConfig } from '@playwright/test';
import type { Catalogue } from '../catalogue/load.ts';
import { gateRules, runsByDefault } from '../environment/resolve.ts';
import { packsOfEnvironment } from '../catalogue/environment-packs.ts';
import type { Artifact, Layer, Stage } from '../schema/common.ts';
import { browserLayers, sortLayers } from '../schema/constants.ts';

type Project = NonNullable<PlaywrightTestConfig['projects']>[number];

/** What every gate project carries in `metadata.packgate`: read by the fixtures and the gate reporter. */
export type GateProjectMetadata = {
  root: string;
  /** Absolute folder of the packs: a spec's path below it names its pack and layer. */
  packsDir: string;
  environment: string;
  stage: Stage;
  layer: Layer;
  /** Packs whose `<layer>.spec.ts` this project runs. */
  packs: string[];
};

export const METADATA_KEY = 'packgate';

/** One planned project: an environment and a layer, and the pack specs it runs. */
export type ProjectPlan = {
  name: string;
  metadata: GateProjectMetadata;
  specs: string[];
  isDefault: boolean;
  /** Whether its tests drive a browser, or sign in through one (a signed-in API client does). */
  usesBrowser: boolean;
  retries: number;
  artifacts: Artifact[];
};

/** The browser the projects launch; `headlessShell`, when set, replaces the executable in headless runs (fixtures/browser.ts). */
export type BrowserLaunch = { executablePath?: string; args: string[]; headlessShell?: string };

export function projectName(environment: string, layer: Layer): string {
  return `${environment}-${layer}`;
}

/**
 * One project per environment and layer (`local-api`, `local-browser`, `demo-remote`), each running the
 * spec of that layer from every pack the environment runs (see packsOfEnvironment).
 */
export function planProjects(catalogue: Catalogue): ProjectPlan[] {
  const plans: ProjectPlan[] = [];
  const packsDir = path.join(catalogue.root, catalogue.manifest.value.packs_dir);
  for (const [envName, { value: env }] of [...catalogue.environments].sort(([a], [b]) => a.localeCompare(b))) {
    const ids = new Set(
      packsOfEnvironment(
        env,
        [...catalogue.packs.values()].map(p => p.value),
      ).map(r => r.pack.id),
    );
    const running = [...catalogue.packs.values()].filter(p => ids.has(p.value.id));
    for (const layer of sortLayers(env.layers)) {
      if (layer === 'manual') continue;
      const packs = running.filter(p => p.value.layers.includes(layer) && p.specs.has(layer));
      if (!packs.length) continue;
      plans.push({
        name: projectName(envName, layer),
        metadata: {
          root: catalogue.root,
          packsDir,
          environment: envName,
          stage: env.stage,
          layer,
          packs: packs.map(p => p.value.id),
        },
        specs: packs.map(p => path.join(catalogue.root, p.specs.get(layer)!)),
        isDefault: runsByDefault(env),
        usesBrowser: browserLayers.has(layer) || packs.some(p => p.value.identity !== undefined),
        retries: gateRules(env).retries,
        artifacts: [...new Set(packs.flatMap(p => p.value.artifacts))],
      });
    }
  }
  return plans;
}

/**
 * The plan as Playwright projects. Deployed environments get `default: false`, so
 * `npx playwright test` alone never reaches for a deployment.
 */
export function toPlaywrightProjects(plans: ProjectPlan[], browser: BrowserLaunch | undefined): Project[] {
  return plans.map(plan => ({
    name: plan.name,
    testDir: plan.metadata.packsDir,
    testMatch: plan.specs,
    default: plan.isDefault,
    retries: plan.retries,
    // One worker is enough for the browserless layers, and it leaves the others free to start the
    // browser journeys (the long part of a gate) at once instead of after every api test.
    ...(plan.usesBrowser && browserLayers.has(plan.metadata.layer) ? {} : { workers: 1 }),
    metadata: { [METADATA_KEY]: plan.metadata },
    use: {
      // Evidence the packs require on failure, captured only when one of them asks for it. Recording
      // a trace of every test to keep the failing ones costs 20-35% of a short browser journey
      // (bench/RESULTS.md); with retries, the retry of a failure records it and passing tests pay nothing.
      // Failure screenshots are the fixtures' job, for the same reason (fixtures/evidence.ts).
      ...(plan.artifacts.includes('trace')
        ? { trace: plan.retries > 0 ? ('on-first-retry' as const) : ('retain-on-failure' as const) }
        : {}),
      ...(browserLayers.has(plan.metadata.layer) && plan.artifacts.includes('video')
        ? { video: 'retain-on-failure' as const }
        : {}),
      ...(plan.usesBrowser && browser ? browserOptions(browser) : {}),
    },
  }));
}

function browserOptions({ headlessShell, ...launchOptions }: BrowserLaunch) {
  return { launchOptions, ...(headlessShell ? { headlessShell } : {}) };
}

export function readProjectMetadata(project: { metadata?: unknown }): GateProjectMetadata | undefined {
  const meta = (project.metadata as Record<string, unknown> | undefined)?.[METADATA_KEY];
  return meta && typeof meta === 'object' ? (meta as GateProjectMetadata) : undefined;
}
