import { z } from 'zod';

/** How a watched run ended. */
export const watchStatuses = ['success', 'failure', 'timeout', 'crash', 'interrupted'] as const;
export const watchStatusSchema = z.enum(watchStatuses);
export type WatchStatus = z.infer<typeof watchStatusSchema>;

/**
 * The closeout of one watched run (or of a job watched by hand): how it ended and why, with its
 * log kept as evidence by digest. Written with the task's `watch` event {phase: closed} in one
 * transaction, so a run is closed out whole or not at all.
 */
export const watchCloseoutSchema = z.object({
  id: z.number(),
  taskId: z.string(),
  /** The run's id, the same as in its `watch` events. */
  run: z.string(),
  /** The watcher packet's id. */
  watcher: z.string(),
  /** The session that watched it; null for a closeout by hand without one. */
  session: z.string().nullable(),
  /** `run`: closed by `watch run`; `hand`: by `watch close`. */
  source: z.enum(['run', 'hand']),
  status: watchStatusSchema,
  /** The failure class (a pattern's, or `gate-blocked` from a verdict); null when none applies. */
  class: z.string().nullable(),
  /** The log lines that matched the class's patterns (capped), or the blocking packs of a verdict. */
  lines: z.array(z.string()),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number().min(0).nullable(),
  command: z.string().nullable(),
  /** The redacted log, stored in the evidence store by digest, and where to read it. */
  logDigest: z.string().nullable(),
  logPath: z.string().nullable(),
  /** The verdict.json the run wrote, by digest, and the packs that blocked it. */
  verdictDigest: z.string().nullable(),
  verdict: z.string().nullable(),
  blockingPacks: z.array(z.string()),
  startedAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type WatchCloseout = z.infer<typeof watchCloseoutSchema>;
export type NewWatchCloseout = Omit<WatchCloseout, 'id' | 'createdAt'>;
export type WatchCloseoutFilter = { taskId?: string; watcher?: string; limit?: number };
