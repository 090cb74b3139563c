import path from 'node:path';
import { packsOfEnvironment } from './environment-packs.ts';
import { gateRules, runsByDefault } from './gate-rules.ts';
import type { Catalogue, LoadedPack } from './load.ts';
import { specsAt } from './spec-path.ts';
import type { Artifact, Layer, Stage } from '../schema/common.ts';
import { browserLayers, sortLayers } from '../schema/constants.ts';
import type { Environment } from '../schema/environment.ts';
import type { Pack } from '../schema/pack.ts';

/** What every gate project carries in `metadata.packgate`: read by the fixtures and the gate reporter. */
export type GateProjectMetadata = {
  root: string;
  /** Absolute folder of the packs: a spec's path below it names its pack and layer. */
  packsDir: string;
  environment: string;
  stage: Stage;
  layer: Layer;
  /** Packs whose specs for this layer (their `layers:`) this project runs. */
  packs: string[];
  /**
   * Which of the layer's tests this project runs (one name, up to two projects): `signed-out`, those
   * that need no session (every test of the packs that sign in as nobody, and the tests of packs that
   * sign in tagged SIGNED_OUT_TAG), which wait for nothing; `signed-in`, the other tests of the packs
   * that sign in, which depend on the sign-in setup.
   */
  part: 'signed-out' | 'signed-in';
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

/**
 * The spec of the `unit` layer's projects: a report test and a test per required id of every pack
 * with a `unit:` source (see unitPlan); each project's `grep` keeps its packs' tests.
 */
export const UNIT_SPEC = path.join(import.meta.dirname, '../playwright/unit-layer.gate.ts');

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

type PackPlanFields = {
  /**
   * Of a signed-out part's specs, those whose every test it runs: the specs of packs that sign in as
   * nobody. Of its other specs it runs the SIGNED_OUT_TAG tests.
   */
  wholeSpecs?: string[];
};

/** One planned project: an environment and a layer and the pack specs it runs, or an environment's sign-in. */
export type ProjectPlan =
  | (PlanCommon & PackPlanFields & { kind: 'packs'; metadata: GateProjectMetadata })
  | (PlanCommon & { kind: 'sign-in'; metadata: SignInProjectMetadata });

export type PackProjectPlan = Extract<ProjectPlan, { kind: 'packs' }>;

export function projectName(environment: string, layer: Layer): string {
  return `${environment}-${layer}`;
}

export function signInProjectName(environment: string): string {
  return `${environment}-sign-in`;
}

/**
 * Projects per environment and layer (`local-api`, `local-browser`, `demo-remote`), each running the
 * specs that every pack the environment runs (see packsOfEnvironment) names for that layer in its
 * `layers:` (so one journey can run at several: the browser's, unchanged, against a deployment),
 * and, where a pack signs in, the environment's sign-in setup project (`local-sign-in`).
 *
 * Sign-in is Playwright's setup-project pattern: the setup signs each persona in once, through the
 * IdP's pages, and the projects of packs that sign in depend on it, so a broken sign-in skips them
 * natively instead of each test waiting out the same failure. Tests that need no session must not
 * be skipped with them (a broken login says nothing about the proxy, and the sign-in's own contract
 * tests say why it broke), and Playwright's dependencies are per project: so a layer is up to two
 * projects under the one name users select (see GateProjectMetadata.part); `--project=local-api`
 * picks both, as Playwright gives same-named projects ids of their own and selects them together.
 * Two, not one per kind of test that needs no session: each project costs a worker start of its own
 * (about a second on two busy cores), and the gate's wall time is mostly those (bench/RESULTS.md).
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
    const inLayer = (layer: Layer) => running.filter(p => specsAt(p, layer).length > 0);
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
          personas: personasOf(signingIn),
        },
        specs: [SIGN_IN_SPEC],
        isDefault: runsByDefault(env),
        usesBrowser: true,
        retries: rules.retries,
        artifacts: ['trace', 'screenshot'],
        dependencies: [],
      });
    for (const layer of layers) {
      if (layer === 'unit') {
        const unit = unitPlan(envName, env, running, { root: catalogue.root, packsDir });
        if (unit) plans.push(unit);
        continue;
      }
      const packs = inLayer(layer);
      const signedOut = packs.filter(p => p.value.identity === undefined);
      const signing = packs.filter(p => p.value.identity !== undefined);
      const plan = (group: LoadedPack[], part: GateProjectMetadata['part'], whole: LoadedPack[]): PackProjectPlan => ({
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
        specs: group.flatMap(p => specsAt(p, layer).map(spec => path.join(catalogue.root, spec))),
        ...(whole.length
          ? { wholeSpecs: whole.flatMap(p => specsAt(p, layer).map(spec => path.join(catalogue.root, spec))) }
          : {}),
        isDefault: runsByDefault(env),
        usesBrowser: browserLayers.has(layer),
        retries: rules.retries,
        artifacts: [...new Set(group.flatMap(p => p.value.artifacts))],
        dependencies: part === 'signed-in' && signIn ? [signIn] : [],
      });
      if (packs.length) plans.push(plan(packs, 'signed-out', signedOut));
      if (signing.length) plans.push(plan(signing, 'signed-in', []));
    }
  }
  return plans;
}

/**
 * The `unit` project of an environment: the packs it runs that have a `unit:` source (the product
 * suite's JUnit report). It signs in as nobody and starts no browser, whatever the packs' identity.
 */
function unitPlan(
  envName: string,
  env: Environment,
  running: readonly LoadedPack[],
  where: { root: string; packsDir: string },
): PackProjectPlan | undefined {
  const packs = running.filter(p => p.value.unit && p.value.layers.includes('unit'));
  if (!packs.length) return undefined;
  return {
    kind: 'packs',
    name: projectName(envName, 'unit'),
    metadata: {
      ...where,
      environment: envName,
      stage: env.stage,
      layer: 'unit',
      packs: packs.map(p => p.value.id),
      part: 'signed-out',
    },
    specs: [UNIT_SPEC],
    isDefault: runsByDefault(env),
    usesBrowser: false,
    // A report read again says the same: a retry could only turn a failure into a flaky pass.
    retries: 0,
    artifacts: [],
    dependencies: [],
  };
}

/**
 * Whom the sign-in setup signs in as: the `identity` of each pack that signs in and the `personas`
 * it names (to prove what others may not do); each is signed in once per run.
 */
export function personasOf(packs: ReadonlyArray<{ value: Pick<Pack, 'identity' | 'personas'> }>): string[] {
  return [...new Set(packs.flatMap(p => (p.value.identity ? [p.value.identity, ...p.value.personas] : [])))];
}

export function readProjectMetadata(project: { metadata?: unknown }): GateProjectMetadata | undefined {
  const meta = (project.metadata as Record<string, unknown> | undefined)?.[METADATA_KEY];
  return meta && typeof meta === 'object' ? (meta as GateProjectMetadata) : undefined;
}

export function readSignInMetadata(project: { metadata?: unknown }): SignInProjectMetadata | undefined {
  const meta = (project.metadata as Record<string, unknown> | undefined)?.[SIGN_IN_METADATA_KEY];
  return meta && typeof meta === 'object' ? (meta as SignInProjectMetadata) : undefined;
}
