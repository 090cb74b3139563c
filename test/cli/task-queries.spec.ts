import { expect, test } from '@playwright/test';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations.ts';
import { TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

async function tasks(project: TaskProject, ids: string[]) {
  for (const id of ids)
    await project.examplePacket({ TASK_ID: id, GOAL: `goal of ${id}`, PACKET_FILE: `.packgate/packets/${id}.yaml` });
}

test('list filters by state and lane; show tells the whole story', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await tasks(project, ['A-1', 'A-2']);
  await project.packgate(['task', 'move', 'A-2', 'parked', '--reason', 'later']);
  const all = await project.packgate(['task', 'list']);
  expect(all.stdout).toBe(
    [
      'TASK  STATE   LANE   HELD BY  TITLE',
      'A-1   ready   C-ops  -        goal of A-1',
      'A-2   parked  C-ops  -        goal of A-2',
      '',
    ].join('\n'),
  );
  const parked = await project.json<{ tasks: Array<{ id: string }> }>(['task', 'list', '--state', 'parked,blocked']);
  expect(parked.body.tasks.map(t => t.id)).toEqual(['A-2']);
  const lane = await project.packgate(['task', 'list', '--lane', 'P-platform']);
  expect(lane.stdout).toBe('no tasks match\n');
  // A lane neither governance.yaml nor any task has is a typo (before: 'no tasks match', exit 0, as for an empty lane).
  for (const command of ['list', 'next']) {
    const typo = await project.packgate(['task', command, '--lane', 'C-opz']);
    expect(typo.stderr).toBe(
      'packgate: --lane C-opz: no lane C-opz in governance.yaml, and no task has it\n  hint: did you mean "C-ops"?\n',
    );
    expect(typo.exitCode).toBe(2);
    // An empty one (`--lane "$LANE"`, LANE unset) too (before: every task, as if no --lane were given).
    const empty = await project.packgate(['task', command, '--lane', '']);
    expect(empty.stderr).toMatch(
      /^packgate: --lane is empty: name the owner lane whose tasks to list, or leave --lane out/,
    );
    expect(empty.exitCode).toBe(2);
  }
  // The same for a track no task has (before: 'no tasks match', exit 0, as for a track with none left).
  const track = await project.json<{ tasks: Array<{ id: string }> }>(['task', 'list', '--track', 'A-2']);
  expect(track.body.tasks.map(t => t.id)).toEqual(['A-2']);
  for (const command of ['list', 'next']) {
    const typo = await project.packgate(['task', command, '--track', 'A-3']);
    expect(typo.stderr).toBe('packgate: --track A-3: no task has track A-3\n  hint: did you mean "A-1"?\n');
    expect(typo.exitCode).toBe(2);
    const empty = await project.packgate(['task', command, '--track', ' ']);
    expect(empty.stderr).toMatch(/^packgate: --track is empty: .*\n {2}hint: tracks: A-1, A-2\n$/);
    expect(empty.exitCode).toBe(2);
  }
  const show = await project.packgate(['task', 'show', 'A-2']);
  expect(show.stdout).toMatch(
    /^A-2 {2}parked {2}feature {2}goal of A-2\n {2}lane C-ops, track A-2; packet [0-9a-f]{12}\n/,
  );
  expect(show.stdout).toMatch(/ready -> parked {2}by tester: later\n/);
  const packet = await project.packgate(['task', 'show', 'A-2', '--packet']);
  expect(packet.stdout).toContain('task_id: A-2\n');
  // And for a session the store does not know (before: 'no tasks match', exit 0, as for one holding nothing).
  const start = await project.packgate(['task', 'start', 'A-1', '--session', 'agent-1', '--no-worktree']);
  expect(start.exitCode, start.output).toBe(0);
  const held = await project.json<{ tasks: Array<{ id: string }> }>(['task', 'list', '--held-by', 'agent-1']);
  expect(held.body.tasks.map(t => t.id)).toEqual(['A-1']);
  const typo = await project.packgate(['task', 'list', '--held-by', 'agent-2']);
  expect(typo.stderr).toBe(
    'packgate: --held-by agent-2: there is no session agent-2 in the queue store\n' +
      '  hint: did you mean "agent-1"? (packgate session list lists them)\n',
  );
  expect(typo.exitCode).toBe(2);
  const empty = await project.packgate(['task', 'list', '--held-by', '']);
  expect(empty.stderr).toMatch(/^packgate: --held-by is empty: .*\n {2}hint: sessions: agent-1\n$/);
  expect(empty.exitCode).toBe(2);
});

test('next lists ready tasks whose dependencies are done; depend refuses a cycle, exit 2, unchanged', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await tasks(project, ['BASE', 'TOP']);
  const depend = await project.packgate(['task', 'depend', 'TOP', '--on', 'BASE']);
  expect(depend.stdout).toBe('task TOP depends on: BASE\n');
  const next = await project.json<{ tasks: Array<{ id: string }> }>(['task', 'next']);
  expect(next.body.tasks.map(t => t.id)).toEqual(['BASE']);

  const before = project.storeSnapshot();
  const cycle = await project.packgate(['task', 'depend', 'BASE', '--on', 'TOP']);
  expect(cycle.stderr).toBe(
    'packgate: task BASE cannot depend on TOP: that would close a cycle BASE -> TOP -> BASE\n' +
      '  hint: a task graph has no cycles; split the work or drop one of the dependencies\n',
  );
  expect(cycle.exitCode).toBe(2);
  const unknown = await project.packgate(['task', 'depend', 'TOP', '--on', 'GHOST']);
  expect(unknown.stderr).toContain('no task GHOST in the queue store');
  expect(unknown.exitCode).toBe(2);
  expect(project.storeSnapshot()).toEqual(before);
});

test('a store from a newer packgate is refused, not misread', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await tasks(project, ['A-1']);
  project.sql(`INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'future', 'x')`);
  const result = await project.packgate(['task', 'list']);
  expect(result.stderr).toMatch(
    new RegExp(
      '^packgate: the queue store .*queue\\.db was written by a newer packgate ' +
        `\\(schema version 99; this packgate knows up to ${LATEST_SCHEMA_VERSION}\\)\n {2}hint: upgrade packgate`,
    ),
  );
  expect(result.exitCode).toBe(2);
});

test('a packgate.yaml that does not validate is bad input: exit 2, each problem located, in --json as data too', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  project.write({ 'packgate.yaml': 'schema_version: 1\nname: demo\nstor: { path: .packgate/queue.db }\n' });
  const result = await project.packgate(['task', 'list']);
  expect(result.stderr).toBe(
    'packgate: the packgate catalogue has problems:\n' +
      'packgate.yaml:3:1 stor: unknown field "stor"\n' +
      '  hint: did you mean "store"?\n' +
      '  hint: run `npx packgate lint` to see them all; fix each file:line:col above\n',
  );
  expect(result.exitCode).toBe(2);
  const { result: json, body } = await project.json(['task', 'list']);
  expect(json.exitCode).toBe(2);
  expect(body).toMatchObject({
    ok: false,
    error: {
      code: 'CATALOGUE_INVALID',
      diagnostics: [
        { file: 'packgate.yaml', line: 3, col: 1, path: 'stor', rule: 'unknown-field', hint: 'did you mean "store"?' },
      ],
    },
  });
});
