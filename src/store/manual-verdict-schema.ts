import { z } from 'zod';

/** One file of a manual verdict's evidence (a trace, a video, a screenshot), kept in the blobs by digest. */
export const manualEvidenceSchema = z.strictObject({
  /** What it is, e.g. `trace.zip`, `video.webm`, or the name of the file a person gave. */
  name: z.string().min(1),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
});
export type ManualEvidence = z.infer<typeof manualEvidenceSchema>;

/** What a person recorded: a manual check's result for one environment, with its evidence, until it expires. */
export const newManualVerdictSchema = z.strictObject({
  pack: z.string().min(1),
  environment: z.string().min(1),
  check: z.string().min(1),
  result: z.enum(['pass', 'fail']),
  note: z.string().nullable(),
  /** The lane the recorder acted for (the check's lane). */
  lane: z.string().min(1),
  /** run: done in `packgate manual run`'s browser; record: done elsewhere and recorded. */
  source: z.enum(['run', 'record']),
  evidence: z.array(manualEvidenceSchema),
  /** How long it counts from when the store records it: its expiry is that time plus this. */
  validForMs: z.number().int().positive(),
  recordedBy: z.string().min(1),
});
export type NewManualVerdict = z.infer<typeof newManualVerdictSchema>;

export const manualVerdictSchema = newManualVerdictSchema.omit({ validForMs: true }).extend({
  id: z.number().int(),
  recordedAt: z.string(),
  expiresAt: z.string(),
});
export type ManualVerdict = z.infer<typeof manualVerdictSchema>;

/** Which verdicts to read: the latest per pack and check of one environment, optionally of some packs. */
export type ManualVerdictFilter = { environment: string; packs?: readonly string[] };
