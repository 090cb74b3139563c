import { z } from 'zod';
import type { QueueHealthReport, TaskDebt } from './queue-health-report.ts';

/**
 * What `queue health --new` / `--lane` left out of the listing. The totals still count every task:
 * a backlog's thousands of legacy rows are left out of the list, not out of the counts.
 */
export const healthFilterSchema = z.object({
  /** --new: only tasks with new debt are listed. */
  new: z.boolean(),
  /** --lane: only tasks of this owner lane are listed; null for every lane. */
  lane: z.string().nullable(),
  leftOut: z.object({
    /** Tasks (of the lane listed, if any) with legacy debt, left out by --new. */
    legacy: z.number().int(),
    /** Tasks with debt of other lanes (or of none), left out by --lane, by legacy or new. */
    otherLanes: z.object({ legacy: z.number().int(), new: z.number().int() }),
  }),
});
export type HealthFilter = z.infer<typeof healthFilterSchema>;

/** The report with only the tasks the filter keeps listed (totals and `ok` untouched), and what it left out. */
export function filterHealth(
  report: QueueHealthReport,
  wanted: { new?: boolean; lane?: string },
): { report: QueueHealthReport; filter: HealthFilter } {
  const leftOut = { legacy: 0, otherLanes: { legacy: 0, new: 0 } };
  const keep = (task: TaskDebt) => {
    if (wanted.lane !== undefined && task.lane !== wanted.lane) leftOut.otherLanes[task.debt]++;
    else if (wanted.new && task.debt === 'legacy') leftOut.legacy++;
    else return true;
    return false;
  };
  return {
    report: { ...report, tasks: report.tasks.filter(keep) },
    filter: { new: wanted.new ?? false, lane: wanted.lane ?? null, leftOut },
  };
}
