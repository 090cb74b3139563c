import os from 'node:os';
import { INTERRUPT_SIGNALS as SIGNALS } from '../../src/process/interrupt.ts';

/**
 * Turns the signals that would end packgate into an abort of what it supervises, so the run is
 * still closed out; `exitCode` is then the shell's 128 + n (130 for Ctrl-C, 143 for SIGTERM, 129
 * for a closed terminal). Without SIGHUP, closing the terminal killed packgate and left the watched
 * command running in its own process group, with no closeout.
 */
export function interruption(): { signal: AbortSignal; exitCode: () => number | undefined; dispose: () => void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => ((received ??= s), controller.abort());
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    exitCode: () => (received ? 128 + os.constants.signals[received] : undefined),
    dispose: () => SIGNALS.forEach(s => process.off(s, onSignal)),
  };
}
