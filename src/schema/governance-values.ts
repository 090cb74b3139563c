import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A duration as a person writes it: `90s`, `15m`, `1.5h`, `2d`, `500ms`, or a number of seconds.
 * Here, in the gate wing's schemas (with the lane id), because pack.yaml (a manual check's `valid_for`) and
 * governance.yaml both use it: one definition.
 * @example 15m
 */
export const durationSchema = z.union([
  z.number().positive({ error: 'must be longer than 0' }),
  z
    .string()
    .regex(DURATION, { error: 'must be a duration like "90s", "15m", "2h", "1d" or seconds' })
    // `0s` is no time at all: a watcher with it times out at once, a manual verdict expires as recorded.
    .refine(d => (validMs(d) ?? 1) > 0, { error: 'must be longer than 0' }),
]);
export type Duration = z.infer<typeof durationSchema>;

/** A duration as people read it: a bare number is seconds, so it says so (`15` is `15s`). */
export function durationText(duration: Duration): string {
  return typeof duration === 'number' ? `${duration}s` : duration;
}

/**
 * The longest timer Node keeps (2^31-1 ms, about 24.8 days): a longer one fires at once, with a
 * TimeoutOverflowWarning, so a deadline past it would kill a watched command as it starts.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A duration something waits for with a timer (a watched run's expected duration): at most what a
 * timer holds. Its deadline (x governance.yaml `watch.grace`) is held to the same bound where the
 * grace is known: governance.yaml's providers, and the watcher packet when it is run.
 */
export const timerDurationSchema = durationSchema.refine(d => (validMs(d) ?? 0) <= MAX_TIMER_MS, {
  error: `must be at most ${formatDays(MAX_TIMER_MS)} (2^31-1 ms, the longest timer Node keeps)`,
});

/** Milliseconds of a duration as written (checked by durationSchema). */
export function durationMs(duration: number | string): number {
  if (typeof duration === 'number') return duration * 1000;
  const [, amount, unit] = DURATION.exec(duration)!;
  return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
}

/** The milliseconds of a value that is a duration as written, else undefined (zod runs refinements on bad input too). */
function validMs(value: unknown): number | undefined {
  return typeof value === 'number' || (typeof value === 'string' && DURATION.test(value))
    ? durationMs(value)
    : undefined;
}

/** Milliseconds in days, for a message: `24.8 days`. */
export function formatDays(ms: number): string {
  return `${(Math.floor((ms / UNIT_MS.d) * 10) / 10).toString()} days`;
}

/**
 * Why a watched run's deadline (expected duration x grace) cannot be kept, or undefined when it can:
 * past MAX_TIMER_MS the timer would fire at once and kill the command as it starts.
 */
export function deadlineProblem(expected: Duration, grace: number): string | undefined {
  const deadline = durationMs(expected) * grace;
  if (deadline <= MAX_TIMER_MS) return undefined;
  return (
    `${typeof expected === 'number' ? `${expected}s` : expected} x grace ${grace} is ${formatDays(deadline)}, ` +
    `past the longest deadline a watcher can keep (${formatDays(MAX_TIMER_MS)}): ` +
    `give at most ${formatDays(MAX_TIMER_MS / grace)}`
  );
}

/** Lanes are named by the team that owns them, e.g. `C-ops`; governance.yaml lists them. */
export const laneIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, {
  error: 'must be letters, digits, "-" or "_", e.g. "C-ops"',
});
