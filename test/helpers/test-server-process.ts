import fs from 'node:fs';
import type { TempProject } from './temp-project.ts';

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

/** The URL a test server prints once it listens (`Listening on <url>`): UI mode's http, test-server's ws. */
export function listeningUrl(
  { child, done }: ReturnType<TempProject['start']>,
  scheme: 'http' | 'ws',
): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const url = new RegExp(`Listening on (${scheme}://\\S+)`).exec(output)?.[1];
      if (url) resolve(url);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void done.then(result =>
      reject(new Error(`the test server exited ${result.exitCode} before listening:\n${result.output}`)),
    );
  });
}
