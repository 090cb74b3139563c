import fs from 'node:fs';

/**
 * Stops Playwright's test server (UI mode, `test-server`) as Ctrl-C does (its global teardown stops the
 * stack it started), then kills whatever is left: the server's process group, and the stack's, which
 * Playwright starts in a group of its own.
 */
export async function stopTestServer(pid: number, done: Promise<unknown>, dir: string): Promise<void> {
  signalGroup(pid, 'SIGINT');
  await Promise.race([done, new Promise(resolve => setTimeout(resolve, 15_000))]);
  for (const group of new Set([pid, ...groupsWorkingIn(dir)])) signalGroup(group, 'SIGKILL');
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // The group has exited already (ESRCH): nothing left to stop.
  }
}

/** Process groups of the processes whose working folder is in `dir` (the temp project's stack). */
function groupsWorkingIn(dir: string): number[] {
  const groups: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      groups.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]));
    } catch {
      // The process exited while it was read, or is another user's.
    }
  }
  return groups;
}
