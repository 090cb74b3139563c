import { releaseStages, type Stage } from '../schema/common.ts';
import type { AppliedHold, QueueRead, RunProblem } from '../schema/verdict.ts';

/** What clears a hold, said with each one a gate prints. */
export const HOW_TO_CLEAR =
  "it clears when the task's review is accepted with its regression (packgate review submit --accept), " +
  'or a coordinator accepts the risk until a date (packgate review accept-risk)';

/**
 * The run's problems from what it read of the queue. On a release stage every hold that applies is
 * an error (the run is BLOCKED, naming it), and so is a queue that was not read: no store
 * configured, or one that could not be read, is never a silent pass. On dev both are warnings: the
 * holds are shown, and block nothing there.
 */
export function queueProblems(read: QueueRead, stage: Stage): RunProblem[] {
  const release = releaseStages.has(stage);
  const severity = release ? 'error' : 'warning';
  if ('reason' in read) {
    // Unnamed: none configured, or a source that failed before it could say which store it was.
    const what =
      read.store === null
        ? 'configure the queue store the holds live in (`store:` in packgate.yaml, or its URL in PACKGATE_STORE_URL), ' +
          'or make the configured one answer, and run the gate again'
        : 'make the store readable (its URL, its server, its file) and run the gate again';
    const stakes = release
      ? `a ${stage} gate is not judged without them`
      : 'on dev this is a warning; a release stage (demo, staging, prod) is BLOCKED by it';
    return [{ severity, message: `release holds were not read: ${read.reason}; ${stakes}: ${what}` }];
  }
  const stakes = release ? '' : ' (a warning on dev: it blocks the release stages)';
  return read.holds.map(hold => ({ severity, message: `${describeHold(hold)}${stakes}; ${HOW_TO_CLEAR}` }));
}

/** One hold in one line: the task, its title, the pack it holds, since when, its lane and why. */
export function describeHold(hold: AppliedHold): string {
  const lane = hold.ownerLane ? `, owner lane ${hold.ownerLane}` : ', no owner lane';
  return (
    `release hold: task ${hold.taskId} "${hold.title}" (${hold.kind}, ${hold.state}) holds pack ${hold.pack} ` +
    `since ${hold.since}${lane}: ${hold.why}`
  );
}

/** Task ids of the holds, each once, for the verdict's headline. */
export function holdingTasks(read: QueueRead | undefined): string[] {
  return read && 'holds' in read ? [...new Set(read.holds.map(h => h.taskId))] : [];
}
