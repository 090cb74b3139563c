import { z } from 'zod';
import { filledList, filledText, idSchema, schemaVersionSchema } from '../schema/common.ts';
import { deadlineProblem, durationSchema, laneIdSchema, timerDurationSchema } from '../schema/governance-values.ts';

export { laneIdSchema } from '../schema/governance-values.ts';

/**
 * A glob over paths relative to the repository root: `src/**`, `packs/*.yaml`, `README.md`. It is
 * matched against paths as git names them, so a spelling no such path has (`./src/**`, `src\**`,
 * `src//x`) would match nothing: a must_not_touch that never stops anything. Refused, with the glob
 * meant.
 */
export const globSchema = filledText(
  'write a path glob relative to the repository root, e.g. "src/**", or remove the item',
).refine(glob => !unmatchable(glob), {
  error: issue => {
    const glob = String(issue.input);
    const meant = glob
      .replace(/\\/g, '/')
      .split('/')
      .filter((segment, i, all) => segment !== '.' && (segment !== '' || i === all.length - 1))
      .join('/');
    return (
      'must be a path glob relative to the repository root, as git names files ("/" between folders, ' +
      `no ".", ".." or empty folder): "${glob}" would match no file` +
      (glob.split(/[\\/]/).includes('..') || !meant ? '' : `; write "${meant}"`)
    );
  },
});

function unmatchable(glob: string): boolean {
  const segments = glob.split('/');
  // A trailing "/" is the folder and everything under it (glob.ts): its empty last segment is fine.
  return (
    glob.includes('\\') || segments.some((s, i) => s === '.' || s === '..' || (s === '' && i < segments.length - 1))
  );
}

/** A list of sentences, each item filled in: `what` says what one is. */
const textList = (what: string) => z.array(filledText(`${what}, or remove the item`)).default([]);
const globList = z.array(globSchema).default([]);

// What one item of each list of sentences is, as lanes and `defaults:` both have them.
const NON_GOAL = 'write what the work must not turn into';
const KNOWN_RISK = 'write what could go wrong or stay unproven';
const STOP_CONDITION = 'write when a worker must stop and hand back';

/**
 * A lane: a team or role that owns part of the repository. What a packet of this lane may change,
 * must not change and should keep in mind, unless the packet says otherwise.
 */
export const laneSchema = z.strictObject({
  description: filledText('say in a sentence what the lane owns, e.g. "CI, deploy and release gates"'),
  /** The environment a packet of this lane proves its work in, when the packet names none. */
  environment: idSchema.optional(),
  owned_files: globList,
  must_not_touch: globList,
  non_goals: textList(NON_GOAL),
  known_risks: textList(KNOWN_RISK),
  stop_conditions: textList(STOP_CONDITION),
  /**
   * The actors who review for this lane: a review naming the lane (`review submit --lane`) by anyone
   * else is refused. Left out, any actor but the implementer may review for it.
   */
  reviewers: filledList(
    filledText('name an actor who reviews for this lane (as PACKGATE_ACTOR or --actor names them)'),
    'name the actors who review for this lane, or leave reviewers out',
  ).optional(),
});
export type Lane = z.output<typeof laneSchema>;

/** The kinds of special logic a review asks about: a change that adds any of them is high-risk. */
export const specialLogicKinds = ['route', 'environment', 'ci', 'auth'] as const;

/**
 * How changes are reviewed: who may act as coordinator, which lane reviews which paths, and which
 * paths mark a change as adding special logic (routing, environment descriptors, CI, auth).
 */
export const reviewSchema = z.strictObject({
  /** Actors who may accept a risk, and force a task to done without an accepted review (recorded as forced). */
  coordinators: z
    .array(filledText('name an actor (as PACKGATE_ACTOR or --actor names them), or remove the item'))
    .default([]),
  /** A change touching one of `paths` must be reviewed by `lane` (every matching route adds its lane). */
  routes: z
    .array(
      z.strictObject({
        paths: filledList(globSchema, 'list the path globs whose changes this lane reviews, e.g. ["src/auth/**"]'),
        lane: laneIdSchema,
        why: filledText("say why a change of these paths needs this lane's review"),
      }),
    )
    .default([]),
  /** A change touching one of `paths` adds special logic of `kind`: answered "special logic: yes". */
  special_logic: z
    .array(
      z.strictObject({
        paths: filledList(globSchema, 'list the path globs whose changes add this special logic, e.g. [".github/**"]'),
        kind: z.enum(specialLogicKinds),
        why: filledText('say why a change of these paths adds special logic of this kind'),
      }),
    )
    .default([]),
});
export type ReviewConfig = z.output<typeof reviewSchema>;

export { durationMs, durationSchema, timerDurationSchema, type Duration } from '../schema/governance-values.ts';

/** The coordinator's view of the queue: how often a task in progress is checkpointed, where legacy debt ends. */
export const queueConfigSchema = z.strictObject({
  /** A task in progress longer than this since its claim or last checkpoint is stale. Default `1h`. */
  checkpoint_interval: durationSchema.default('1h'),
  /**
   * Tasks created before this date (ISO, e.g. `2026-01-01`) are legacy debt: queue health lists their
   * debt apart and does not fail on it. Default: none (every task's debt is new unless marked legacy).
   */
  legacy_before: z.iso.date().or(z.iso.datetime()).optional(),
});
export type QueueConfig = z.output<typeof queueConfigSchema>;

/** A failure class and the regular expressions (over one log line each) that say a log shows it. */
export const failureClassSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be kebab-case, e.g. "auth" or "network"' }),
  patterns: filledList(
    z.string().refine(
      pattern => {
        try {
          new RegExp(pattern);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'is not a valid regular expression' },
    ),
    'list regular expressions of a log line that shows this failure, e.g. ["ECONNRESET", "ETIMEDOUT"]',
  ),
});

/**
 * Watchers (`packgate watch run`) and the providers `packgate task dispatch` runs: how long past its
 * expected duration a watched command may run, the failure classes every watcher knows, and the
 * worker commands by name. Product specifics (log lines, agent CLIs) live here, not in the core.
 */
export const watchConfigSchema = z
  .strictObject({
    /** Deadline = expected duration x grace. Default 1.5. */
    grace: z.number().min(1).default(1.5),
    /** How often a watched run heartbeats its session, in seconds. Default 60. */
    heartbeat_s: z.number().positive().default(60),
    /** Failure classes every watcher knows, after its packet's own. */
    classes: z.array(failureClassSchema).default([]),
    /**
     * Worker commands by name: `{packet}` and `{worktree}` are replaced by the (shell-quoted) paths.
     * @example { command: "claude -p --packet {packet}", expected_duration: 30m }
     */
    providers: z
      .record(
        z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/),
        z.strictObject({
          command: filledText('write the command line that runs the worker, e.g. "claude -p --packet {packet}"'),
          expected_duration: timerDurationSchema,
          why: z.string().optional(),
        }),
      )
      .default({}),
  })
  // The deadline is the expected duration x grace: past what a timer holds it would kill the provider at once.
  .superRefine((watch, ctx) => {
    for (const [name, provider] of Object.entries(watch.providers)) {
      const problem = deadlineProblem(provider.expected_duration, watch.grace);
      if (problem) ctx.addIssue({ code: 'custom', path: ['providers', name, 'expected_duration'], message: problem });
    }
  });
export type WatchConfig = z.output<typeof watchConfigSchema>;

/**
 * How work is governed in this repository: its lanes, what every packet carries by default, and where
 * task worktrees go. Product specifics (lane names, repository paths, rules) live here, not in the core.
 * Authored as `governance.yaml` at the root (packgate.yaml `governance:` moves it).
 */
export const governanceSchema = z.strictObject({
  schema_version: schemaVersionSchema.optional(),
  lanes: z.record(laneIdSchema, laneSchema),
  /** What every packet gets, added to its lane's lists. */
  defaults: z
    .strictObject({
      non_goals: textList(NON_GOAL),
      must_not_touch: globList,
      known_risks: textList(KNOWN_RISK),
      stop_conditions: textList(STOP_CONDITION),
      /** Replaces the four drift rules of the requirements document when set. */
      deviation_rules: z
        .array(filledText('write what to do when unexpected work appears, or remove the item'))
        .optional(),
      /** Replaces the implementation loop's outputs when set. */
      handoff_required: z.array(filledText('write what a handoff must contain, or remove the item')).optional(),
    })
    .prefault({}),
  review: reviewSchema.prefault({}),
  watch: watchConfigSchema.prefault({}),
  queue: queueConfigSchema.prefault({}),
  /** Where `packgate task start` puts each task's git worktree and branch. */
  worktrees: z
    .strictObject({
      /** Folder of the worktrees, relative to the root. Default `.packgate/worktrees`. */
      dir: filledText('write the folder of the worktrees, relative to the root, e.g. ".packgate/worktrees"')
        .refine(p => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
          error: 'must be a path inside the project, relative to the root',
        })
        .default('.packgate/worktrees'),
      /** Prefix of each task's branch. Default `task/`, e.g. `task/C-AUTH-GATE-001`. */
      branch_prefix: z.string().default('task/'),
    })
    .prefault({}),
});
export type Governance = z.output<typeof governanceSchema>;
