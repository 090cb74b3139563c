import path from 'node:path';
import type { PlaywrightTestConfig } from '@playwright/test';
import {
  METADATA_KEY,
  SIGN_IN_METADATA_KEY,
  SIGN_IN_SPEC,
  UNIT_SPEC,
  type PackProjectPlan,
  type ProjectPlan,
} from '../catalogue/project-plan.ts';
import { SIGN_IN_TITLE, SIGNED_OUT_TAG } from '../gate/attachments.ts';
import type { BrowserLaunch } from '../run/run-plan.ts';
import { browserLayers } from '../schema/constants.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

type Project = NonNullable<PlaywrightTestConfig['projects']>[number];

/**
 * The plan as Playwright projects. Deployed environments get `default: false`, so
 * `npx playwright test` alone never reaches for a deployment.
 */
export function toPlaywrightProjects(plans: ProjectPlan[], browser: BrowserLaunch | undefined): Project[] {
  return plans.map(plan => (plan.kind === 'sign-in' ? signInProject(plan, browser) : packProject(plan, browser)));
}

function packProject(plan: PackProjectPlan, browser: BrowserLaunch | undefined): Project {
  if (plan.metadata.layer === 'unit') return unitProject(plan);
  const browserLayer = browserLayers.has(plan.metadata.layer);
  return {
    name: plan.name,
    testDir: plan.metadata.packsDir,
    testMatch: plan.specs,
    ...partFilter(plan),
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
      // Failure screenshots and video are the fixtures' job (fixtures/evidence.ts): the first for the
      // same reason, the second because Playwright's video needs an ffmpeg of its own download.
      ...traceOption(plan),
      ...(plan.usesBrowser && browser ? { launchOptions: browser } : {}),
    },
  };
}

/**
 * The unit layer: the one spec that judges the packs' product-suite reports, whose tests carry
 * `@pack:<id>` tags; the project keeps those of its packs. No browser, no sign-in, one worker.
 */
function unitProject(plan: PackProjectPlan): Project {
  return {
    name: plan.name,
    testDir: path.dirname(UNIT_SPEC),
    testMatch: plan.specs,
    grep: new RegExp(`(^| )@pack:(${plan.metadata.packs.map(escapeRegExp).join('|')})( |$)`),
    default: plan.isDefault,
    retries: plan.retries,
    workers: 1,
    metadata: { [METADATA_KEY]: plan.metadata },
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
      // A failure's screenshot is the setup fixture's job (fixtures/sign-in-setup.ts), as the packs'.
      ...(browser ? { launchOptions: browser } : {}),
    },
  };
}

const SIGNED_OUT = new RegExp(`(^| )${SIGNED_OUT_TAG}( |$)`);

/**
 * The tests of its part (see GateProjectMetadata.part): the signed-in part runs the untagged tests;
 * the signed-out part the tagged ones, and every test of the specs of packs that sign in as nobody,
 * matched by their path, which Playwright's grep sees as the file's place in the title.
 */
function partFilter(plan: PackProjectPlan): Pick<Project, 'grep' | 'grepInvert'> {
  if (plan.metadata.part === 'signed-in') return { grepInvert: SIGNED_OUT };
  const whole = plan.wholeSpecs ?? [];
  if (whole.length === plan.specs.length) return {};
  if (!whole.length) return { grep: SIGNED_OUT };
  const files = whole.map(spec => escapeRegExp(path.relative(plan.metadata.packsDir, spec).split(path.sep).join('/')));
  return { grep: [SIGNED_OUT, new RegExp(`(^|[ /])(${files.join('|')})( |$)`)] };
}

function traceOption(plan: ProjectPlan) {
  if (!plan.artifacts.includes('trace')) return {};
  return { trace: plan.retries > 0 ? ('on-first-retry' as const) : ('retain-on-failure' as const) };
}
