import { expect, type TestInfo } from '@playwright/test';
import path from 'node:path';
import { openStore } from '../../src/store/open.ts';
import type { TaskEventKind } from '../../src/store/queue-schema.ts';
import { writeGateOutput } from './gate-output.ts';
import { EXAMPLE_TASK, TaskProject } from './task-project.ts';

export const WORKTREE = `.packgate/worktrees/${EXAMPLE_TASK}`;

/**
 * The example task of `lane` (and `kind`), started by session agent-1 as `tester`, `files` changed
 * and committed in its worktree, its acceptance proven and handed off: in_review, ready for a review.
 */
export async function handedOffTask(
  testInfo: TestInfo,
  options: { lane?: string; kind?: string; files: Record<string, string> },
): Promise<{ project: TaskProject; worktree: string }> {
  const project = await TaskProject.create(testInfo);
  await project.examplePacket({ OWNER_LANE: options.lane ?? 'C-ops', TASK_KIND: options.kind ?? 'feature' });
  const started = await project.packgate(['task', 'start', EXAMPLE_TASK, '--session', 'agent-1']);
  expect(started.exitCode, started.output).toBe(0);
  const worktree = `${project.dir}/${WORKTREE}`;
  project.write(options.files, worktree);
  project.commitAll('the fix', worktree);
  writeGateOutput(`${worktree}/gate-results`);
  const steps = [
    ['gate', 'record'],
    ['task', 'prove', EXAMPLE_TASK, '--item', '1', '--run', '1'],
    ['task', 'prove', EXAMPLE_TASK, '--item', '2', '--run', '1'],
    ['handoff', '--task', EXAMPLE_TASK],
  ];
  for (const step of steps) {
    const result = await project.packgate(step, { TASK_ID: EXAMPLE_TASK, PACKGATE_SESSION: 'agent-1' }, worktree);
    expect(result.exitCode, `${step.join(' ')}\n${result.output}`).toBe(0);
  }
  return { project, worktree };
}

/** Records an event on the task in the project's store, as `review record` and `review prove` would. */
export async function addEvent(
  project: TaskProject,
  kind: TaskEventKind,
  body: Record<string, unknown>,
  actor = 'tester',
  taskId = EXAMPLE_TASK,
): Promise<number> {
  const store = await openStore({ kind: 'sqlite', path: path.join(project.dir, '.packgate/queue.db') });
  try {
    return (await store.addEvent(taskId, kind, body, actor)).id;
  } finally {
    await store.close();
  }
}

/** One run of a regression proof as `review prove` stores it: red (BLOCKED) or green (PASS) at a commit. */
export const proofRun = (commit: string, passed: boolean) => ({
  commit,
  verdict: passed ? 'PASS' : 'BLOCKED',
  regressionPassed: passed,
  othersFailed: [],
  exitCode: passed ? 0 : 1,
  verdictDigest: null,
  outputDigest: 'a'.repeat(64),
  gateRun: null,
});
