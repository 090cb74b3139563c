import type { WatchCloseout } from '../store/watch-closeout-schema.ts';

/** A task's closeouts as `task show` and `watch run` print them: a header, then a line or more each. */
export function closeoutLines(closeouts: readonly WatchCloseout[]): string[] {
  if (!closeouts.length) return [];
  return [
    'watch closeouts:',
    ...closeouts.flatMap(c => [
      `  #${c.id} ${c.watcher} run ${c.run}: ${c.status.toUpperCase()}${c.class ? ` (${c.class})` : ''}` +
        `${c.exitCode !== null ? `, exit code ${c.exitCode}` : ''}${c.signal ? `, ${c.signal}` : ''}` +
        `${c.durationMs !== null ? `, ${(c.durationMs / 1000).toFixed(1)} s` : ''}${c.source === 'hand' ? ', closed by hand' : ''}`,
      ...(c.logDigest ? [`      log sha256:${c.logDigest} ${c.logPath ?? ''}`.trimEnd()] : []),
      ...(c.verdictDigest
        ? [
            `      verdict ${c.verdict} sha256:${c.verdictDigest}${c.blockingPacks.length ? ` blocked by ${c.blockingPacks.join(', ')}` : ''}`,
          ]
        : []),
      ...c.lines.map(l => `      | ${l}`),
    ]),
  ];
}
