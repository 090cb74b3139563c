import { z } from 'zod';

/** The kinds of evidence debt queue health finds, each one rule of `judgeQueueHealth`. */
export const debtRules = [
  'no-handoff',
  'no-fix-record',
  'regression-not-accepted',
  'watch-not-closed',
  'gate-run-missing',
  'checkpoint-stale',
  'escalation-unanswered',
] as const;
export const debtRuleSchema = z.enum(debtRules);
export type DebtRule = z.infer<typeof debtRuleSchema>;

export const debtSchema = z.object({ rule: debtRuleSchema, detail: z.string() });
export type Debt = z.infer<typeof debtSchema>;

/** A task with evidence debt: what it owes, and whether that debt is legacy (before the cutoff, or marked). */
export const taskDebtSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  state: z.string(),
  lane: z.string().nullable(),
  createdAt: z.string(),
  debt: z.enum(['legacy', 'new']),
  /** Why it is legacy: its mark, or that it was created before `legacy_before`; null for new debt. */
  legacyReason: z.string().nullable(),
  problems: z.array(debtSchema).min(1),
});
export type TaskDebt = z.infer<typeof taskDebtSchema>;

const countSchema = z.object({ legacy: z.number().int(), new: z.number().int() });

/** `packgate queue health --json`: every task with debt, and the totals; `ok` is false on new debt only. */
export const queueHealthReportSchema = z.object({
  generatedAt: z.string(),
  legacyBefore: z.string().nullable(),
  checkpointInterval: z.string(),
  ok: z.boolean(),
  tasks: z.array(taskDebtSchema),
  totals: z.object({
    /** Every task in the store. */
    tasks: z.number().int(),
    /** Tasks with debt, by legacy or new. */
    withDebt: countSchema,
    /** Problems of each rule, by legacy or new. */
    byRule: z.record(debtRuleSchema, countSchema),
  }),
});
export type QueueHealthReport = z.infer<typeof queueHealthReportSchema>;
