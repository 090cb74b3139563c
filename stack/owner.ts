import { OWNER_PID_VAR } from '../src/faults/faults.ts';
import { processAlive } from '../src/process/alive.ts';

/** How often the owner is looked for: a stack left behind holds its ports about this long. */
const EVERY_MS = 500;

/**
 * Calls `gone` once the process the stack lives for (OWNER_PID_VAR: `packgate stack start`, a run's
 * Playwright runner) has ended, however it ended. Nothing to watch when the variable is unset (a
 * stack started by hand).
 */
export function whenOwnerGone(gone: () => void, env: Record<string, string | undefined> = process.env): void {
  const pid = Number(env[OWNER_PID_VAR]);
  if (!Number.isInteger(pid) || pid <= 1) return;
  const timer = setInterval(() => {
    if (processAlive(pid)) return;
    clearInterval(timer);
    gone();
  }, EVERY_MS);
  // Not what keeps the stack running: its servers are.
  timer.unref();
}
