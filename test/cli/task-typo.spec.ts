import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

test('a mistyped task id is refused with the nearest id in the store, by every command that takes one', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'C-AUTH-GATE-001' });
  await project.examplePacket({ TASK_ID: 'C-OTHER-TASK-777' });
  const fields = [
    '--changed',
    'x',
    '--drift',
    'none',
    '--blocked-on',
    'nothing',
    '--next',
    'y',
    '--decision',
    'continue',
  ];
  const commands = [
    ['checkpoint', '--task', 'C-AUTH-GATE-01', ...fields],
    ['queue', 'mark-legacy', 'C-AUTH-GATE-01', '--clear'],
    ['drift', '--task', 'C-AUTH-GATE-01'],
    ['handoff', '--task', 'C-AUTH-GATE-01'],
    ['task', 'show', 'C-AUTH-GATE-01'],
  ];
  for (const args of commands) {
    const result = await project.packgate(args);
    expect(result.exitCode, `${args.join(' ')}\n${result.output}`).toBe(2);
    expect(result.stderr, args.join(' ')).toContain(
      'no task C-AUTH-GATE-01 in the queue store\n  hint: did you mean C-AUTH-GATE-001? (list tasks with: packgate task list)',
    );
  }
  const json = await project.json<{ ok: boolean; error: { code: string; hint: string } }>([
    'checkpoint',
    '--task',
    'C-AUTH-GATE-01',
    ...fields,
  ]);
  expect(json.body).toMatchObject({
    ok: false,
    error: { code: 'TASK_UNKNOWN', hint: expect.stringContaining('C-AUTH-GATE-001') },
  });

  // Nothing near: the hint says where the ids are.
  const far = await project.packgate(['task', 'show', 'ZZZ']);
  expect(far.exitCode).toBe(2);
  expect(far.stderr).toContain('no task ZZZ in the queue store\n  hint: list tasks with: packgate task list');
});
