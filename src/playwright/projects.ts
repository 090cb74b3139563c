import path from 'node:path';
import type { PlaywrightTestConfig } from '@playwright/test';
import type { Catalogue, LoadedPack } from '../catalogue/load.ts';
import { gateRules, runsByDefault } from '../environment/resolve.ts';
import { packsOfEnvironment } from '../catalogue/environment-packs.ts';
import type { Artifact, Layer, Stage } from '../schema/common.ts';
import { browserLayers, sortLayers } from '../schema/constants.ts';
import { SIGN_IN_TITLE, SIGNED_OUT_TAG } from '../gate/attachments.ts';

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
  /**
   * Which of the layer's tests this project runs (one name, up to three projects): those of packs
   * that sign in as nobody; the tests of packs that sign in that are tagged SIGNED_OUT_TAG; and
   * their other tests, which depend on the sign-in setup.
   */
  part: 'no-identity' | 'signed-out' | 'signed-in';
  /** The sign-in setup project this one depends on (the `signed-in` part only). */
  signIn?: string;
};

/** What the sign-in setup project of an environment carries in `metadata.packgate-sign-in`. */
export type SignInProjectMetadata = {
  root: string;
  environment: string;
  stage: Stage;
  /** The seed personas it signs in as, one test each. */
  personas: string[];
};

export const METADATA_KEY = 'packgate';
export const SIGN_IN_METADATA_KEY = 'packgate-sign-in';

/** The spec of the sign-in setup projects: one test per persona (see signInPlan). */
export const SIGN_IN_SPEC = path.join(import.meta.dirname, '../../fixtures/sign-in.setup.ts');

type PlanCommon = {
  name: string;
  specs: string[];
  isDefault: boolean;
  /** Whether its tests drive a browser (browser layers, and the interactive sign-in). */
  usesBrowser: boolean;
  retries: number;
  artifacts: Artifact[];
  /** Projects that must pass first (Playwright's `dependencies`): the sign-in setup. */
  dependencies: string[];
};

/** One planned project: an environment and a layer and the pack specs it runs, or an environment's sign-in. */
export type ProjectPlan =
  | (PlanCommon & { kind: 'packs'; metadata: GateProjectMetadata })
  | (PlanCommon & { kind: 'sign-in'; metadata: SignInProjectMetadata });

export type PackProjectPlan = Extract<ProjectPlan, { kind: 'packs' }>;

/** How the projects launch the browser (Playwright's `launchOptions`), decided once by the runner. */
export type BrowserLaunch = { executablePath?: string; args: string[] };

export function projectName(environment: string, layer: Layer): string {
  return `${environment}-${layer}`;
}

export function signInProjectName(environment: string): string {
  return `${environment}-sign-in`;
}

/**
 * Projects per environment and layer (`local-api`, `local-browser`, `demo-remote`), each running the
 * spec of that layer from every pack the environment runs (see packsOfEnvironment), and, where a
 * pack signs in, the environment's sign-in setup project (`local-sign-in`).
 *
 * Sign-in is Playwright's setup-project pattern: the setup signs each persona in once, through the
 * IdP's pages, and the projects of packs that sign in depend on it, so a broken sign-in skips them
 * natively instead of each test waiting out the same failure. Tests that need no session must not
 * be skipped with them (a broken login says nothing about the proxy, and the sign-in's own contract
 * tests say why it broke), and Playwright's dependencies are per project: so a layer is up to three
 * projects under the one name users select (see GateProjectMetadata.part); `--project=local-api`
 * picks them all, as Playwright gives same-named projects ids of their own and selects them together.
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
    const layers = sortLayers(env.layers).filter(layer => layer !== 'manual');
    const inLayer = (layer: Layer) => running.filter(p => p.value.layers.includes(layer) && p.specs.has(layer));
    const signingIn = layers.flatMap(inLayer).filter(p => p.value.identity !== undefined);
    const signIn = signingIn.length ? signInProjectName(envName) : undefined;
    const rules = gateRules(env);
    if (signIn)
      plans.push({
        kind: 'sign-in',
        name: signIn,
        metadata: {
          root: catalogue.root,
          environment: envName,
          stage: env.stage,
          personas: personasOf(catalogue, signingIn),
        },
        specs: [SIGN_IN_SPEC],
        isDefault: runsByDefault(env),
        usesBrowser: true,
        retries: rules.retries,
        artifacts: ['trace', 'screenshot'],
        dependencies: [],
      });
    for (const layer of layers) {
      const packs = inLayer(layer);
      const signedOut = packs.filter(p => p.value.identity === undefined);
      const signing = packs.filter(p => p.value.identity !== undefined);
      const plan = (group: LoadedPack[], part: GateProjectMetadata['part']): PackProjectPlan => ({
        kind: 'packs',
        name: projectName(envName, layer),
        metadata: {
          root: catalogue.root,
          packsDir,
          environment: envName,
          stage: env.stage,
          layer,
          packs: group.map(p => p.value.id),
          part,
          ...(part === 'signed-in' ? { signIn } : {}),
        },
        specs: group.map(p => path.join(catalogue.root, p.specs.get(layer)!)),
        isDefault: runsByDefault(env),
        usesBrowser: browserLayers.has(layer),
        retries: rules.retries,
        artifacts: [...new Set(group.flatMap(p => p.value.artifacts))],
        dependencies: part === 'signed-in' && signIn ? [signIn] : [],
      });
      if (signedOut.length) plans.push(plan(signedOut, 'no-identity'));
      if (signing.length) plans.push(plan(signing, 'signed-out'), plan(signing, 'signed-in'));
    }
  }
  return plans;
}

/**
 * Whom the sign-in setup signs in as: every persona of the seed sets of the packs that sign in. A
 * pack signs in as its `identity` and, to prove what others may not do, as other personas of its
 * seeds; each is signed in once per run.
 */
function personasOf(catalogue: Catalogue, packs: readonly LoadedPack[]): string[] {
  const seeds = new Set(packs.flatMap(p => p.value.seeds));
  const users = [...seeds].flatMap(id => catalogue.seeds.get(id)?.value.users ?? []);
  return [...new Set([...packs.map(p => p.value.identity!), ...users.map(u => u.id)])];
}

/**
 * The plan as Playwright projects. Deployed environments get `default: false`, so
 * `npx playwright test` alone never reaches for a deployment.
 */
export function toPlaywrightProjects(plans: ProjectPlan[], browser: BrowserLaunch | undefined): Project[] {
  return plans.map(plan => (plan.kind === 'sign-in' ? signInProject(plan, browser) : packProject(plan, browser)));
}

function packProject(plan: PackProjectPlan, browser: BrowserLaunch | undefined): Project {
  const browserLayer = browserLayers.has(plan.metadata.layer);
  return {
    name: plan.name,
    testDir: plan.metadata.packsDir,
    testMatch: plan.specs,
    ...(plan.metadata.part === 'signed-out' ? { grep: SIGNED_OUT } : {}),
    ...(plan.metadata.part === 'signed-in' ? { grepInvert: SIGNED_OUT } : {}),
    default: plan.isDefault,
    retries: plan.retries,
    dependencies: plan.dependencies,
    // One worker is enough for the browserless layers, and it leaves the others free to start the
    // browser journeys (the long part of a gate) at once instead of after every api test.
    ...(browserLayer ? {} : { workers: 1 }),
    metadata: { [METADATA_KEY]: plan.metadata },
    use: {
      // Evidence the packs require on failure, captured only when one of them asks for it. Recording
      // a trace of every test to keep the failing ones costs 20-35% of a short browser journey
      // (bench/RESULTS.md); with retries, the retry of a failure records it and passing tests pay nothing.
      // Failure screenshots are the fixtures' job, for the same reason (fixtures/evidence.ts).
      ...traceOption(plan),
      ...(browserLayer && plan.artifacts.includes('video') ? { video: 'retain-on-failure' as const } : {}),
      ...(plan.usesBrowser && browser ? { launchOptions: browser } : {}),
    },
  };
}

/** The sign-in setup: a trace of its retry and a screenshot of a failure are the evidence of a broken sign-in. */
function signInProject(plan: Extract<ProjectPlan, { kind: 'sign-in' }>, browser: BrowserLaunch | undefined): Project {
  return {
    name: plan.name,
    testDir: path.dirname(SIGN_IN_SPEC),
    testMatch: plan.specs,
    // The spec declares a test per persona of every environment; this project runs its own.
    grep: new RegExp(`(^| )${SIGN_IN_TITLE} (${plan.metadata.personas.map(escapeRegExp).join('|')})$`),
    default: plan.isDefault,
    retries: plan.retries,
    metadata: { [SIGN_IN_METADATA_KEY]: plan.metadata },
    use: {
      ...traceOption(plan),
      screenshot: 'only-on-failure',
      ...(browser ? { launchOptions: browser } : {}),
    },
  };
}

const SIGNED_OUT = new RegExp(`(^| )${SIGNED_OUT_TAG}( |$)`);

function traceOption(plan: ProjectPlan) {
  if (!plan.artifacts.includes('trace')) return {};
  return { trace: plan.retries > 0 ? ('on-first-retry' as const) : ('retain-on-failure' as const) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function readProjectMetadata(project: { metadata?: unknown }): GateProjectMetadata | undefined {
  const meta = (project.metadata as Record<string, unknown> | undefined)?.[METADATA_KEY];
  return meta && typeof meta === 'object' ? (meta as GateProjectMetadata) : undefined;
}

export function readSignInMetadata(project: { metadata?: unknown }): SignInProjectMetadata | undefined {
  const meta = (project.metadata as Record<string, unknown> | undefined)?.[SIGN_IN_METADATA_KEY];
  return meta && typeof meta === 'object' ? (meta as SignInProjectMetadata) : undefined;
}
