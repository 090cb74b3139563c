import fs from 'node:fs';
import path from 'node:path';
import { PackgateError } from '../diagnostics/errors.ts';
import { processAlive } from '../process/alive.ts';
import { RUNS_DIR, type RunPlan } from '../run/run-plan.ts';

/**
 * Stops a run (exit 2) while another gate run of this project is under way: one that wrote the output
 * folder's verdict when it started (every test run does, see run-setup.ts) and whose process still
 * runs. The second run would empty that folder and Playwright's test-results under the first (its
 * traces and attachments, which the gate copies as evidence), and each would end with the other's
 * reports in its own. Not a session of Playwright's test server (UI mode, VS Code), which stays open
 * for hours: its runs are started by hand, one at a time.
 *
 * A run's id carries its process id (writeRunPlan), and its scratch folder goes when it has judged
 * or exited: a run killed outright leaves the folder, but not its process.
 */
export function checkNoRunUnderWay(outputDir: string, root: string): void {
  const runId = startedRunId(outputDir);
  const pid = Number(/^[0-9a-z]+-(\d+)-[0-9a-f]+$/.exec(runId ?? '')?.[1]);
  if (!runId || !pid || pid === process.pid || !isAlive(pid)) return;
  let plan: Pick<RunPlan, 'testServer'>;
  try {
    plan = JSON.parse(fs.readFileSync(path.join(root, RUNS_DIR, runId, 'plan.json'), 'utf8')) as RunPlan;
  } catch {
    return;
  }
  if (plan.testServer) return;
  const where = path.relative(process.cwd(), outputDir) || outputDir;
  throw new PackgateError(
    'INPUT_INVALID',
    `another gate run of this project is under way (run ${runId}, process ${pid}) and writes ${where}/: ` +
      "a second run now would empty its output folder and Playwright's test-results under it",
    {
      hint:
        `wait for it to end, or stop it (kill ${pid}), then run this again; ` +
        'runs at the same time need a checkout each (a worktree, as `packgate task start` makes one)',
    },
  );
}

/** The run id of the verdict in the folder: a run's verdict carries it from the moment the run starts. */
function startedRunId(outputDir: string): string | undefined {
  try {
    const verdict = JSON.parse(fs.readFileSync(path.join(outputDir, 'verdict.json'), 'utf8')) as { runId?: unknown };
    return typeof verdict.runId === 'string' ? verdict.runId : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (!processAlive(pid)) return false;
  // A killed run leaves its scratch folder, and a container reuses process ids soon: where the
  // system says what a process runs (Linux), one that is not Playwright is not that run.
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('playwright');
  } catch {
    return true;
  }
}
