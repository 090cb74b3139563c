import os from 'node:os';

/** The signals that end a command early: Ctrl-C, a kill, and the terminal closing. */
export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `cleanup` when a signal ends the process before the work is done, then exits as the signal
 * would (the shell's 128 + n: 130 for Ctrl-C). A `finally` does not run when Node dies of a signal,
 * and what it removes (a temp folder holding an unredacted trace, a scratch worktree) would stay.
 * Returns the function that stops listening, for the `finally` that cleans up on the normal way out.
 */
export function cleanupOnInterrupt(cleanup: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    dispose();
    cleanup();
    process.exit(128 + os.constants.signals[signal]);
  };
  const dispose = () => INTERRUPT_SIGNALS.forEach(s => process.off(s, onSignal));
  for (const s of INTERRUPT_SIGNALS) process.once(s, onSignal);
  return dispose;
}
