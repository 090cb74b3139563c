/**
 * Names of the attachments fixtures add to a test for the gate reporter to read.
 * The contract between the two sides, which never import each other.
 */
export const CORRELATION_ATTACHMENT = 'packgate-correlation-ids';

/** Body of the correlation attachment. */
export type CorrelationAttachment = {
  /** Correlation / request ids from response headers. */
  ids: string[];
  /** W3C trace ids of the test's requests (sent in traceparent, or answered in traceresponse). */
  traceIds?: string[];
};

/** Annotation type a fixture adds when it performed an interactive sign-in at the IdP. */
export const INTERACTIVE_SIGN_IN_ANNOTATION = 'packgate:interactive-sign-in';

/**
 * Annotation type a fixture adds when a check the journey would make does not apply in this
 * environment (e.g. the app shows the signed-in user nowhere): the verdict lists it, never as passed.
 */
export const NOT_APPLICABLE_ANNOTATION = 'packgate:not-applicable';

/**
 * Annotation type a fixture adds when a test is not run because the environment lacks seed data it
 * needs (seed_strategy: verify): the description says what is missing; the pack is NOT_RUN with it.
 */
export const SEED_MISSING_ANNOTATION = 'packgate:seed-missing';

/**
 * The tag of a test, in a pack that signs in, that needs no session: it runs without waiting for the
 * sign-in setup, and still runs when the sign-in is broken (a sign-in's contract tests say why).
 */
export const SIGNED_OUT_TAG = '@signed-out';

/**
 * Annotation type of a test that proves a refusal the pack declares (`refuses('<id>')` in its details):
 * the description is the refusal's id. The verdict counts the refusals a run proved.
 */
export const REFUSAL_ANNOTATION = 'packgate:refusal';

/** The title of the sign-in setup's test for a persona: `sign in as <persona>`. */
export const SIGN_IN_TITLE = 'sign in as';

export { UNIT_REPORT_ATTACHMENT } from '../schema/constants.ts';

/**
 * The titles of a pack's unit-layer tests: one for the report as a whole (it is there, it is JUnit,
 * none of its tests failed), and one per test id the pack requires.
 */
export function unitTestTitles(unit: { require: readonly string[] }): string[] {
  return [UNIT_REPORT_TITLE, ...unit.require.map(unitRequireTitle)];
}

export const UNIT_REPORT_TITLE = 'the product suite report';

export function unitRequireTitle(id: string): string {
  return `requires ${id}`;
}
