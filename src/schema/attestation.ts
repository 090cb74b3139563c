import { z } from 'zod';

/**
 * The attestation a gate run leaves in its output folder: a DSSE envelope whose payload is an
 * in-toto Statement v1 with the test-result predicate v0.1. The schemas parse what `evidence
 * verify` reads, which may come from anywhere; unknown fields are ignored (dropped), as the in-toto
 * and DSSE parsing rules ask of consumers.
 */
export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const TEST_RESULT_PREDICATE_TYPE = 'https://in-toto.io/attestation/test-result/v0.1';

/** Standard or URL-safe base64, padded or not: DSSE verifiers must accept either. */
const base64Schema = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, { error: 'must be base64' });

export const dsseSignatureSchema = z.object({
  /** Unauthenticated hint: packgate writes the SHA-256 of the public key's SPKI DER, hex. */
  keyid: z.string().optional(),
  sig: base64Schema,
});
export type DsseSignature = z.infer<typeof dsseSignatureSchema>;

export const dsseEnvelopeSchema = z.object({
  payloadType: z.literal(DSSE_PAYLOAD_TYPE),
  payload: base64Schema,
  signatures: z.array(dsseSignatureSchema),
});
export type DsseEnvelope = z.infer<typeof dsseEnvelopeSchema>;

/** Algorithm to lower-case hex digest, e.g. `{ sha256: "ab12..." }` or `{ gitCommit: "..." }`. */
const digestSetSchema = z.record(z.string(), z.string().regex(/^[0-9a-f]+$/, { error: 'must be lower-case hex' }));

export const resourceDescriptorSchema = z
  .object({
    name: z.string().optional(),
    uri: z.string().optional(),
    digest: digestSetSchema.optional(),
    content: base64Schema.optional(),
    downloadLocation: z.string().optional(),
    mediaType: z.string().optional(),
    annotations: z.record(z.string(), z.unknown()).optional(),
  })
  .refine(d => d.uri !== undefined || d.digest !== undefined || d.content !== undefined, {
    error: 'a resource descriptor needs a uri, a digest or a content',
  });
export type ResourceDescriptor = z.infer<typeof resourceDescriptorSchema>;

/**
 * A published file: its path relative to the output folder (forward slashes, inside the folder)
 * and its SHA-256. The path is checked here because a verifier opens it.
 */
export const subjectSchema = z.object({
  name: z
    .string()
    .refine(name => name !== '' && !name.startsWith('/') && !name.includes('\\') && !/(^|\/)\.{0,2}(\/|$)/.test(name), {
      error: 'must be a path inside the output folder, relative, with forward slashes and no "." or ".." parts',
    }),
  digest: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex digits' }) }),
});
export type Subject = z.infer<typeof subjectSchema>;

export const testResultSchema = z.enum(['PASSED', 'WARNED', 'FAILED']);
export type TestResult = z.infer<typeof testResultSchema>;

export const testResultPredicateSchema = z.object({
  result: testResultSchema,
  configuration: z.array(resourceDescriptorSchema),
  url: z.string().optional(),
  passedTests: z.array(z.string()).optional(),
  warnedTests: z.array(z.string()).optional(),
  failedTests: z.array(z.string()).optional(),
});
export type TestResultPredicate = z.infer<typeof testResultPredicateSchema>;

export const testResultStatementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(subjectSchema).min(1),
  predicateType: z.literal(TEST_RESULT_PREDICATE_TYPE),
  predicate: testResultPredicateSchema,
});
export type TestResultStatement = z.infer<typeof testResultStatementSchema>;

/**
 * What the attestation reads from `evidence/<pack>/evidence.json`: the tests, by project and title.
 * Only these fields; the rest of the record is the gate's business.
 */
export const packEvidenceRecordSchema = z.object({
  pack: z.string(),
  tests: z
    .array(
      z.object({
        title: z.string(),
        project: z.string(),
        outcome: z.enum(['expected', 'unexpected', 'flaky', 'skipped']),
        /** The files kept of the test, relative to the output folder (the unit layer's report among them). */
        attachments: z.array(z.object({ name: z.string(), file: z.string() })).default([]),
      }),
    )
    .default([]),
});
export type PackEvidenceRecord = z.infer<typeof packEvidenceRecordSchema>;
