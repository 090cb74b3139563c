import { z } from 'zod';

/**
 * A duration as a person writes it: `90s`, `15m`, `1.5h`, `2d`, `500ms`, or a number of seconds.
 * Here, in the gate wing's schemas (with the lane id), because pack.yaml (a manual check's `valid_for`) and
 * governance.yaml both use it: one definition.
 * @example 15m
 */
export const durationSchema = z.union([
  z.number().positive(),
  z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, { error: 'must be a duration like "90s", "15m", "2h", "1d" or seconds' }),
]);
export type Duration = z.infer<typeof durationSchema>;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration as written (checked by durationSchema). */
export function durationMs(duration: Duration): number {
  if (typeof duration === 'number') return duration * 1000;
  const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(duration)!;
  return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
}

/** Lanes are named by the team that owns them, e.g. `C-ops`; governance.yaml lists them. */
export const laneIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, {
  error: 'must be letters, digits, "-" or "_", e.g. "C-ops"',
});
