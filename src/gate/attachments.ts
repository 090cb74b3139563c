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
