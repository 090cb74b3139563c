import { z } from 'zod';
import { failureClassSchema, globSchema, laneIdSchema, timerDurationSchema } from '../governance/governance-schema.ts';
import { taskIdSchema } from '../packet/packet-schema.ts';
import { runVerdictSchema } from '../schema/verdict.ts';
import { watchStatuses } from '../store/watch-closeout-schema.ts';
import { shellQuote } from '../text/shell-quote.ts';

const text = z.string().trim().min(1, { error: 'is empty' });

const SUCCESS_EXIT_CODE =
  'must be 0 to 255: the shell exits with a code of one byte, so no run would ever end with another (each would fail)';

/** What a watcher watches: a command it runs, or an external job it polls with a command until the job ends. */
export const watchTargetSchema = z.union([
  z.strictObject({
    /** Run through the shell, e.g. `npx playwright test --project=demo-api`. */
    command: text,
  }),
  z.strictObject({
    /** The external job (a CI pipeline, a deployment), passed to the poll command as {job_id} and WATCH_JOB_ID. */
    job_id: text,
    /** A command that follows the job and exits when it ends: 0 for success, else failure. */
    poll_command: text,
  }),
]);
export type WatchTarget = z.infer<typeof watchTargetSchema>;

/**
 * An escalation rule: when the task's closeouts of this watcher show `times` matches (in a row with
 * `consecutive`), the task is escalated to `escalate_to`.
 * @example { when: { class: auth, times: 2, consecutive: true }, escalate_to: C-ops, why: "credentials rotated?" }
 */
export const escalationRuleSchema = z.strictObject({
  when: z
    .strictObject({
      /** A failure class (`auth`, `gate-blocked`, ...). */
      class: z.string().min(1).optional(),
      /** A final status (`timeout`, `crash`, ...). */
      status: z.enum(watchStatuses).optional(),
      times: z.number().int().min(1).default(2),
      consecutive: z.boolean().default(true),
    })
    .refine(when => when.class !== undefined || when.status !== undefined, {
      error: 'name a class or a status to match',
    }),
  escalate_to: laneIdSchema,
  why: text,
});
export type EscalationRule = z.infer<typeof escalationRuleSchema>;

/**
 * A watcher packet: what to watch for which task and lane, how long it should take, what success
 * and failure look like, which fixes a watcher may make, and when to hand the problem to a lane.
 * `packgate watch new` writes one; `packgate watch run` runs it.
 */
export const watchPacketSchema = z.strictObject({
  schema_version: z.literal(1),
  /** The watcher's id, e.g. `W-DEMO-DEPLOY-001`. */
  id: taskIdSchema,
  /** The task the watched runs are closed out on. */
  task_id: taskIdSchema,
  /** The lane watching (governance.yaml lanes). */
  lane: laneIdSchema,
  watch: watchTargetSchema,
  /**
   * How long a healthy run takes: the deadline is this x the grace factor of governance.yaml `watch.grace`,
   * more than 0 and at most 24.8 days (Node's longest timer) with the grace applied.
   */
  expected_duration: timerDurationSchema,
  /** Where to run it, relative to the project root (default: the task's worktree if it has one, else the root). */
  cwd: z.string().min(1).optional(),
  success: z
    .strictObject({
      /**
       * The exit code of a successful run, 0 to 255: the command runs through the shell, whose exit
       * code is one byte (exit 256 is 0), so any other value would close every run out a failure. Default 0.
       */
      exit_code: z
        .number()
        .int()
        .min(0, { error: SUCCESS_EXIT_CODE })
        .max(255, { error: SUCCESS_EXIT_CODE })
        .default(0),
      /** Verdicts that count as success when the run wrote a gate verdict. Default PASS and PASS_WITH_WARNINGS. */
      verdicts: z.array(runVerdictSchema).default(['PASS', 'PASS_WITH_WARNINGS']),
    })
    .prefault({}),
  failure: z
    .strictObject({
      /** This watcher's failure classes, tried before the project's (governance.yaml `watch.classes`). */
      classes: z.array(failureClassSchema).default([]),
    })
    .prefault({}),
  /** Globs of what a watcher may change to fix what it watches; a task diff outside them is escalated. */
  allowed_fixes: z.array(globSchema).default([]),
  escalation: z.array(escalationRuleSchema).default([]),
});
export type WatchPacket = z.output<typeof watchPacketSchema>;

/**
 * The command a watcher runs: the command, or the poll command with {job_id} filled in shell-quoted
 * (as provider templates are): a job id comes from a CI API or a webhook, and must not run as code.
 */
export function watchedCommand(target: WatchTarget): string {
  return 'command' in target ? target.command : target.poll_command.replaceAll('{job_id}', shellQuote(target.job_id));
}

/** What a watcher watches, in a few words: its command, or the job it follows. */
export function describeTarget(target: WatchTarget): string {
  return 'command' in target ? target.command : `job ${target.job_id}`;
}
