/**
 * The catalogue's fixed vocabularies as plain values. Kept apart from the zod schemas so that code
 * running in every test worker (fixtures, the run plan) can use them without loading zod.
 */

/**
 * verdict.json's schema version. 2 adds `queue` (the release holds the run read). Readers take both:
 * a verdict written before (version 1) has no `queue`; one written now has it whenever the run was judged.
 */
export const VERDICT_SCHEMA_VERSION = 2;

/**
 * The id of the watched run `packgate watch run` sets in its command's environment; a gate run
 * under it records it in verdict.json (`watchRun`), so the watcher knows the verdict is its own.
 */
export const WATCH_RUN_VAR = 'WATCH_RUN';

/** verdict.json's `watchRun` for a run under this environment: the watched run's id, or nothing. */
export function watchRunOf(env: Record<string, string | undefined>): { watchRun?: string } {
  const run = env[WATCH_RUN_VAR];
  return run ? { watchRun: run } : {};
}

/** The in-toto attestation of a gate's output folder, inside it (see evidence/attest.ts). */
export const ATTESTATION_FILE = 'attestation.intoto.json';

/** Set to move the gate's output folder (verdict.json, summary.md, evidence/). */
export const OUTPUT_DIR_VAR = 'PACKGATE_OUTPUT_DIR';

/** Where the reports the gate feeds live, inside its output folder (emptied at every run's start). */
export const REPORT_FILES = {
  junit: 'junit.xml',
  allureResults: 'allure-results',
  /** Built afterwards from the results by `packgate report allure`: not a file the run publishes. */
  allureReport: 'allure-report',
} as const;

/**
 * The attachment name of the unit layer's report test: the product suite's JUnit report the gate
 * judged, kept in the pack's evidence and named in the attestation (see attest.ts).
 */
export const UNIT_REPORT_ATTACHMENT = 'packgate-unit-report';

/** Layers, lowest first: the order is the order of `lowest_reliable_layer` comparisons. */
export const layers = ['unit', 'api', 'browser', 'parity', 'remote', 'manual'] as const;

/** Layers whose tests drive a browser. */
export const browserLayers: ReadonlySet<string> = new Set(['browser', 'parity', 'remote']);

export const stages = ['dev', 'demo', 'staging', 'prod'] as const;

/** Stages that release: every pack they target is required, and nothing may be skipped silently. */
export const releaseStages: ReadonlySet<string> = new Set(['demo', 'staging', 'prod']);

/** embedded: the reference stack on loopback; parity: the stack in deployment shape; remote: deployed URLs. */
export const environmentKinds = ['embedded', 'parity', 'remote'] as const;

/** The environment URLs a named path can be built on: `auth` is the issuer, `idp` the issuer's origin. */
export const urlBases = ['app', 'api', 'proxy', 'auth', 'idp'] as const;
export type UrlBase = (typeof urlBases)[number];

export const policies = ['blocking', 'advisory'] as const;

export const artifacts = [
  'trace',
  'screenshot',
  'video',
  'har',
  'console-log',
  'server-log',
  'correlation-id',
] as const;

/** Layers in their canonical order, for stable output. */
export function sortLayers<T extends string>(list: readonly T[]): T[] {
  const order: readonly string[] = layers;
  return [...list].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** A spec file beside pack.yaml, as `layers:` and tests.yaml name it: `browser.spec.ts`, `idp-contract.spec.ts`. */
export const SPEC_FILE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.spec\.ts$/;
