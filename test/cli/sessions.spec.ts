import { expect, test } from '@playwright/test';
import { EXAMPLE_TASK, TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

async function started(testInfo: Parameters<typeof TaskProject.create>[0]) {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const start = await project.packgate(['task', 'start', EXAMPLE_TASK, '--no-worktree', '--session', 'agent-1']);
  expect(start.exitCode).toBe(0);
  return project;
}

test('sessions list who holds what; a heartbeat keeps a session alive', async ({}, testInfo) => {
  const project = await started(testInfo);
  const list = await project.json<{ sessions: Array<Record<string, unknown>> }>(['session', 'list']);
  expect(list.body.sessions).toEqual([
    expect.objectContaining({ id: 'agent-1', actor: 'tester', holds: [EXAMPLE_TASK], stale: false }),
  ]);
  const beat = await project.packgate(['session', 'heartbeat'], { PACKGATE_SESSION: 'agent-1' });
  expect(beat.stdout).toMatch(new RegExp(`^session agent-1 alive at \\S+; holds ${EXAMPLE_TASK}\\n$`));
  const unknown = await project.packgate(['session', 'heartbeat', 'ghost']);
  expect(unknown.stderr).toContain('no session ghost in the queue store');
  expect(unknown.exitCode).toBe(2);

  // --session, as every other command takes the session (before: "unknown option '--session'
  // (Did you mean --version?)"); two different ones are bad input.
  const flag = await project.packgate(['session', 'heartbeat', '--session', 'agent-1']);
  expect(flag.exitCode, flag.output).toBe(0);
  expect(flag.stdout).toMatch(new RegExp(`^session agent-1 alive at \\S+; holds ${EXAMPLE_TASK}\\n$`));
  const before = project.storeSnapshot();
  const two = await project.packgate(['session', 'heartbeat', 'agent-1', '--session', 'agent-2']);
  expect(two.stderr).toBe(
    'packgate: two sessions given: agent-1 and --session agent-2\n' +
      '  hint: give one: packgate session heartbeat <id>, or --session <id>\n',
  );
  expect(two.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('release: another session is refused (exit 1) unless the hold is stale; the holder may', async ({}, testInfo) => {
  const project = await started(testInfo);
  const before = project.storeSnapshot();
  const other = await project.packgate(['task', 'release', EXAMPLE_TASK, '--reason', 'mine', '--session', 'agent-2']);
  expect(other.stderr).toContain(`packgate: task ${EXAMPLE_TASK} is held by session agent-1`);
  expect(other.stderr).toContain(
    '  hint: release it from that session, wait until its hold is stale, or pass --force with a reason\n',
  );
  expect(other.exitCode).toBe(1);
  // No session given (a new shell, without the PACKGATE_SESSION task start printed): how to give it, if
  // it is yours, in the words task start uses for the same hold (with the worktree's cd when the task
  // has one). Before: only --session, no word of the PACKGATE_SESSION that task start gave.
  const none = await project.packgate(['task', 'release', EXAMPLE_TASK, '--reason', 'mine']);
  expect(none.stderr).toMatch(
    new RegExp(`^packgate: task ${EXAMPLE_TASK} is held by session agent-1 \\(last heartbeat \\S+\\), not by you\\n`),
  );
  expect(none.stderr).toContain(
    "  hint: no session was given (--session, PACKGATE_SESSION, or run it in the task's worktree): if the hold is yours, " +
      `give it (--session agent-1), or carry on as it: export PACKGATE_SESSION=agent-1 TASK_ID=${EXAMPLE_TASK}; ` +
      'else wait until the hold is stale, or pass --force with a reason\n',
  );
  expect(none.exitCode).toBe(1);
  expect(project.storeSnapshot()).toEqual(before);
  const own = await project.packgate([
    'task',
    'release',
    EXAMPLE_TASK,
    '--reason',
    'end of day',
    '--to',
    'parked',
    '--session',
    'agent-1',
  ]);
  expect(own.stdout).toBe(`task ${EXAMPLE_TASK} released: in_progress -> parked (end of day)\n`);
  expect(own.exitCode).toBe(0);
});

test('a silent session goes stale: listed as such, reaped back to ready on the record', async ({}, testInfo) => {
  const project = await started(testInfo);
  project.sql(`UPDATE sessions SET heartbeat_at = '2000-01-01T00:00:00.000Z' WHERE id = 'agent-1'`);
  const stale = await project.packgate(['task', 'list', '--stale']);
  expect(stale.stdout).toContain(`${EXAMPLE_TASK}  in_progress  C-ops  agent-1 (stale)`);
  const reap = await project.packgate(['session', 'reap']);
  expect(reap.stdout).toBe(`released ${EXAMPLE_TASK}: session agent-1 silent since 2000-01-01T00:00:00.000Z\n`);
  const { body } = await project.json<{ task: { state: string }; transitions: Array<{ reason: string }> }>([
    'task',
    'show',
    EXAMPLE_TASK,
  ]);
  expect(body.task.state).toBe('ready');
  expect(body.transitions.at(-1)!.reason).toBe(
    'hold of session agent-1 released: no heartbeat since 2000-01-01T00:00:00.000Z (stale after 1800 s)',
  );
  const again = await project.packgate(['session', 'reap']);
  expect(again.stdout).toBe('no stale holds\n');
});

/**
 * A worker that hands off or releases and leaves never ends its session: before, `session list` showed
 * every such session for ever, beside the live ones. Now one stale and holding nothing is over: counted,
 * listed with --all; a stale one that still holds tasks is listed (reap is for it).
 */
test('session list shows live sessions and stale ones that hold tasks; those over are counted, --all lists them', async ({}, testInfo) => {
  const project = await started(testInfo);
  project.sql(`UPDATE sessions SET heartbeat_at = '2000-01-01T00:00:00.000Z' WHERE id = 'agent-1'`);
  const holding = await project.packgate(['session', 'list']);
  expect(holding.stdout).toBe(
    'SESSION  ACTOR   HEARTBEAT                         HOLDS\n' +
      `agent-1  tester  2000-01-01T00:00:00.000Z (stale)  ${EXAMPLE_TASK}\n`,
  );
  expect((await project.packgate(['session', 'reap'])).exitCode).toBe(0);

  const over = await project.packgate(['session', 'list']);
  expect(over.stdout).toBe(
    'no live sessions; 1 session over (stale heartbeat, holding nothing) not listed: packgate session list --all\n',
  );
  expect(over.exitCode).toBe(0);
  const json = await project.json<{ sessions: unknown[]; notListed: number }>(['session', 'list']);
  expect(json.body).toMatchObject({ ok: true, sessions: [], notListed: 1 });
  const all = await project.packgate(['session', 'list', '--all']);
  expect(all.stdout).toBe(
    'SESSION  ACTOR   HEARTBEAT                               HOLDS\n' +
      'agent-1  tester  2000-01-01T00:00:00.000Z (stale, over)  -\n',
  );

  // A live session is listed beside the count of those over.
  await project.examplePacket({ TASK_ID: 'LIVE-1', GOAL: 'another goal' });
  const live = await project.packgate(['task', 'start', 'LIVE-1', '--no-worktree', '--session', 'agent-2']);
  expect(live.exitCode, live.output).toBe(0);
  const both = await project.packgate(['session', 'list']);
  expect(both.stdout).toMatch(
    /^SESSION +ACTOR +HEARTBEAT +HOLDS\nagent-2 +tester +\S+ +LIVE-1\n1 session over \(stale heartbeat, holding nothing\) not listed: packgate session list --all\n$/,
  );
});

test('release of a task nobody holds, or to a state release does not go to, is bad input', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket();
  const free = await project.packgate(['task', 'release', EXAMPLE_TASK, '--reason', 'x']);
  expect(free.stderr).toBe(`packgate: task ${EXAMPLE_TASK} is ready: no session holds it\n`);
  expect(free.exitCode).toBe(2);
  const to = await project.packgate(['task', 'release', EXAMPLE_TASK, '--reason', 'x', '--to', 'done']);
  expect(to.stderr).toBe('packgate: "done" is not a state here\n  hint: one of: ready, parked, blocked, escalated\n');
  expect(to.exitCode).toBe(2);
});
