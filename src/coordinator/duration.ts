const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration written as governance.yaml writes one (`60m`, `1h`); checked by its schema. */
export function durationMs(duration: string): number {
  const match = /^([1-9][0-9]*)(s|m|h|d)$/.exec(duration.trim());
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
