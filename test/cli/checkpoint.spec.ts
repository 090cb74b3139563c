import path from 'node:path';
import { expect, test } from '@playwright/test';
import { EXAMPLE_ENV, TaskProject } from '../helpers/task-project.ts';
import { test as pgTest } from '../store/fixtures.ts';

// Each test runs the CLI many times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 240_000 });

type Shown = {
  task: { state: string; holder: unknown; origin: string | null; dependsOn: string[]; packet: { goal: string } | null };
  checkpoint: { stale: boolean; lastCheckpoint: string | null } | null;
  events: Array<{ kind: string; body: Record<string, unknown> }>;
  escalations: Array<{ source: string; to: string | null; details: Record<string, unknown> | null }>;
};

const FIELDS = ['--changed', 'the form posts', '--drift', 'none', '--blocked-on', 'nothing', '--next', 'wire it'];

async function packet(project: TaskProject, id: string): Promise<void> {
  await project.examplePacket({ TASK_ID: id, GOAL: `goal of ${id}` });
}

test('bad input exits 2 with the problem named and writes nothing; an unknown task is named', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await packet(project, 'A-1');
  const before = project.storeSnapshot();

  const decision = await project.packgate(['checkpoint', '--task', 'A-1', ...FIELDS, '--decision', 'stop']);
  expect(decision.exitCode).toBe(2);
  expect(decision.stderr).toContain('the checkpoint of A-1 is not complete; nothing recorded:\n');
  expect(decision.stderr).toContain('  --decision: must be one of continue, park, split, escalate\n');
  // A misspelt decision: the values, and the one it is near (before: the values alone).
  const misspelt = await project.packgate(['checkpoint', '--task', 'A-1', ...FIELDS, '--decision', 'parkk']);
  expect(misspelt.stderr).toContain(
    '  --decision: must be one of continue, park, split, escalate; did you mean "park"?\n',
  );
  expect(misspelt.exitCode).toBe(2);

  const many = ['--next', 'b', '--next', 'c', '--next', 'd'];
  const tooMany = await project.packgate(['checkpoint', '--task', 'A-1', ...FIELDS, ...many, '--decision', 'continue']);
  expect(tooMany.exitCode).toBe(2);
  expect(tooMany.stderr).toContain('  --next: has more than 3 actions: keep the next three');

  // A flag left out is required, and said how to give; one given empty is empty. Before: both "is empty".
  const missing = await project.packgate(['checkpoint', '--task', 'A-1', '--drift', ' ', '--decision', 'continue']);
  expect(missing.exitCode).toBe(2);
  expect(missing.stderr).toBe(
    'packgate: the checkpoint of A-1 is not complete; nothing recorded:\n' +
      '  --changed: is required: what changed since the last checkpoint, e.g. --changed "the callback half is done"\n' +
      '  --drift: is empty: write what stands, or "none"\n' +
      '  --blocked-on: is required: what it is blocked on, e.g. --blocked-on nothing\n' +
      '  --next: is required: a next action, e.g. --next "record a gate run" (up to 3)\n' +
      '  hint: give --changed, --drift, --blocked-on, --next (up to 3) and --decision ' +
      '(continue | park | split | escalate), or fill the template with --edit\n',
  );
  const noDecision = await project.packgate(['checkpoint', '--task', 'A-1', ...FIELDS]);
  expect(noDecision.exitCode).toBe(2);
  expect(noDecision.stderr).toContain(
    '\n  --decision: is required: one of continue, park, split, escalate, e.g. --decision continue\n',
  );

  const unknown = await project.packgate(['checkpoint', '--task', 'NOPE-1', ...FIELDS, '--decision', 'continue']);
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toContain('no task NOPE-1 in the queue store');

  const lane = await project.packgate([
    'checkpoint',
    '--task',
    'A-1',
    ...FIELDS,
    '--decision',
    'escalate',
    '--to',
    'C-opz',
  ]);
  expect(lane.exitCode).toBe(2);
  expect(lane.stderr).toContain('no lane C-opz in governance.yaml to escalate to\n  hint: did you mean "C-ops"?');

  const split = await project.packgate([
    'checkpoint',
    '--task',
    'A-1',
    ...FIELDS,
    '--decision',
    'split',
    '--split',
    'A-1: itself',
  ]);
  expect(split.exitCode).toBe(2);

  // The template read back with a YAML error and a field error: each located, the file kept.
  project.write({
    'bad.yaml':
      'original_goal: g\ncurrent_track: t\nwhat_changed: x\ndrift_discovered: none\nblocked_on: nothing\nnext_actions: [a]\ndecision: halt\n',
  });
  const edited = await project.packgate(['checkpoint', '--task', 'A-1', '--edit', '--json'], {
    EDITOR: `cp ${path.join(project.dir, 'bad.yaml')}`,
  });
  expect(edited.exitCode).toBe(2);
  const error = JSON.parse(edited.stdout).error;
  expect(error.code).toBe('INPUT_INVALID');
  expect(error.diagnostics).toMatchObject([{ file: '.packgate/checkpoints/A-1.yaml', line: 7, path: 'decision' }]);
  expect(project.exists('.packgate/checkpoints/A-1.yaml')).toBe(true);
  expect(project.storeSnapshot()).toEqual(before);
});

test("an unknown lane to escalate to names the governance file packgate.yaml's governance: points at", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await packet(project, 'A-1');
  project.write({
    'config/lanes.yaml': project.read('governance.yaml'),
    'governance.yaml': null,
    'packgate.yaml': `${project.read('packgate.yaml')}governance: config/lanes.yaml\n`,
  });
  const before = project.storeSnapshot();
  const lane = await project.packgate([
    'checkpoint',
    '--task',
    'A-1',
    ...FIELDS,
    '--decision',
    'escalate',
    '--to',
    'C-opz',
  ]);
  expect(lane.exitCode, lane.output).toBe(2);
  expect(lane.stderr).toBe(
    'packgate: no lane C-opz in config/lanes.yaml to escalate to\n  hint: did you mean "C-ops"?\n',
  );
  expect(project.storeSnapshot()).toEqual(before);
});

test('park, split and escalate act; the template is pre-filled, a changed goal flagged; a task past the interval is stale', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  for (const id of ['PARK-1', 'SPLIT-1', 'ESC-1', 'LATE-AUTH-1']) await packet(project, id);
  for (const id of ['PARK-1', 'ESC-1', 'LATE-AUTH-1'])
    expect((await project.packgate(['task', 'start', id, '--no-worktree', '--session', 's1'])).exitCode).toBe(0);

  // park: the held task is parked, its hold released, the checkpoint on record
  const park = await project.json<{
    checkpoint: { id: number; decision: string; goalChanged: boolean };
    state: string;
  }>(['checkpoint', '--task', 'PARK-1', ...FIELDS, '--blocked-on', 'the IdP is down', '--decision', 'park']);
  expect(park.result.exitCode, park.result.output).toBe(0);
  expect(park.body).toMatchObject({ state: 'parked', checkpoint: { decision: 'park', goalChanged: false } });
  const parked = (await project.json<Shown>(['task', 'show', 'PARK-1'])).body;
  expect(parked.task).toMatchObject({ state: 'parked', holder: null });
  expect(parked.events.filter(e => e.kind === 'checkpoint').map(e => e.body)).toEqual([
    { checkpoint: park.body.checkpoint.id, decision: 'park' },
  ]);

  // split: the parts ready with packets derived from the parent's; the parent parked, depending on them
  const split = await project.packgate([
    'checkpoint',
    '--task',
    'SPLIT-1',
    ...FIELDS,
    '--decision',
    'split',
    '--split',
    'SPLIT-1a: the callback half',
    '--split',
    'SPLIT-1b: the logout half',
  ]);
  expect(split.exitCode, split.output).toBe(0);
  expect(split.stdout).toContain('split into SPLIT-1a (ready, lane C-ops): the callback half\n');
  const parent = (await project.json<Shown>(['task', 'show', 'SPLIT-1'])).body;
  expect(parent.task).toMatchObject({ state: 'parked', dependsOn: ['SPLIT-1a', 'SPLIT-1b'] });
  const part = (await project.json<Shown>(['task', 'show', 'SPLIT-1a'])).body;
  expect(part.task).toMatchObject({ state: 'ready', origin: 'SPLIT-1', packet: { goal: 'the callback half' } });
  expect((await project.packgate(['packet', 'check', 'SPLIT-1b'])).exitCode).toBe(0);

  // escalate, through the editor: the template carries the packet's goal; a new goal is flagged
  project.write({
    'filled.yaml': [
      'original_goal: a narrower goal',
      'current_track: "ESC-1, not started"',
      'what_changed: nothing yet',
      'drift_discovered: the packet misses the IdP config',
      'blocked_on: C-ops deciding the IdP config',
      'next_actions: [ask C-ops]',
      'decision: escalate',
      '',
    ].join('\n'),
  });
  const seen = path.join(project.dir, 'seen.yaml');
  const esc = await project.json<{ goalChanged: boolean; packetGoal: string; state: string }>(
    ['checkpoint', '--task', 'ESC-1', '--edit'],
    { EDITOR: `sh -c 'cp "$1" ${seen} && cp ${path.join(project.dir, 'filled.yaml')} "$1"' --` },
  );
  expect(esc.result.exitCode, esc.result.output).toBe(0);
  expect(project.read('seen.yaml')).toContain('original_goal: goal of ESC-1\n');
  expect(esc.body).toMatchObject({ goalChanged: true, packetGoal: 'goal of ESC-1', state: 'escalated' });
  expect(project.exists('.packgate/checkpoints/ESC-1.yaml')).toBe(false);
  const escalated = (await project.json<Shown>(['task', 'show', 'ESC-1'])).body;
  expect(escalated.escalations).toMatchObject([{ source: 'checkpoint', to: EXAMPLE_ENV.OWNER_LANE }]);
  const human = await project.packgate([
    'checkpoint',
    '--task',
    'SPLIT-1a',
    ...FIELDS,
    '--original-goal',
    'other',
    '--decision',
    'continue',
  ]);
  expect(human.stdout).toContain('  GOAL CHANGED: the packet says "the callback half"; now "other"\n');

  // stale: LATE-AUTH-1 claimed two hours ago (the claim aged in the store), no checkpoint since
  project.sql(
    "UPDATE transitions SET at = ? WHERE task_id = 'LATE-AUTH-1' AND to_state = 'in_progress'",
    new Date(Date.now() - 2 * 3_600_000).toISOString(),
  );
  const late = await project.packgate(['task', 'show', 'LATE-AUTH-1']);
  expect(late.stdout).toMatch(
    / {2}checkpoint STALE: in progress for more than 1h since its claim at \S+; run: packgate checkpoint --task LATE-AUTH-1\n/,
  );
  const health = await project.json<{
    report: { tasks: Array<{ id: string; debt: string; problems: Array<{ rule: string }> }> };
  }>(['queue', 'health']);
  expect(health.result.exitCode).toBe(1);
  expect(health.body.report.tasks.find(t => t.id === 'LATE-AUTH-1')).toMatchObject({
    debt: 'new',
    problems: [{ rule: 'checkpoint-stale' }],
  });
  expect(health.body.report.tasks.find(t => t.id === 'ESC-1')).toMatchObject({
    problems: [{ rule: 'escalation-unanswered' }],
  });
  const cont = await project.packgate(['checkpoint', '--task', 'LATE-AUTH-1', ...FIELDS, '--decision', 'continue']);
  expect(cont.exitCode, cont.output).toBe(0);
  // The track is pre-filled as `<task id>: <state>`; a task id with a credential word in it is no header.
  expect(cont.stdout).toContain('track: LATE-AUTH-1: in_progress\n');
  const fresh = (await project.json<Shown>(['task', 'show', 'LATE-AUTH-1'])).body;
  expect(fresh.task.state).toBe('in_progress');
  expect(fresh.checkpoint).toMatchObject({ stale: false, lastCheckpoint: expect.any(String) });
  const after = await project.json<{ report: { tasks: Array<{ id: string }> } }>(['queue', 'health']);
  expect(after.body.report.tasks.map(t => t.id)).not.toContain('LATE-AUTH-1');
});

pgTest.describe('postgres', () => {
  pgTest.use({ adapter: 'postgres' });
  pgTest('on PostgreSQL: park and split act, bad input changes nothing', async ({ storeLocation }, testInfo) => {
    if (storeLocation.kind !== 'postgres') throw new Error('expected a PostgreSQL store');
    const env = { PACKGATE_STORE_URL: storeLocation.url };
    const project = await TaskProject.create(testInfo, { git: false });
    for (const id of ['PG-1', 'PG-2'])
      expect(
        (await project.packgate(['packet', 'new'], { ...EXAMPLE_ENV, TASK_ID: id, GOAL: `goal of ${id}`, ...env }))
          .exitCode,
      ).toBe(0);
    const before = (await project.json(['task', 'show', 'PG-1'], env)).body;
    const bad = await project.packgate(['checkpoint', '--task', 'PG-1', ...FIELDS, '--decision', 'pause'], env);
    expect(bad.exitCode).toBe(2);
    expect((await project.json(['task', 'show', 'PG-1'], env)).body).toEqual(before);

    const park = await project.packgate(['checkpoint', '--task', 'PG-1', ...FIELDS, '--decision', 'park'], env);
    expect(park.stdout).toMatch(/^checkpoint #\d+ of PG-1: park \(ready -> parked\)\n/);
    const split = await project.json<{
      splitTasks: Array<{ id: string; origin: string; state: string }>;
      state: string;
    }>(['checkpoint', '--task', 'PG-2', ...FIELDS, '--decision', 'split', '--split', 'PG-2a: one half'], env);
    expect(split.result.exitCode, split.result.output).toBe(0);
    expect(split.body).toMatchObject({
      state: 'parked',
      splitTasks: [{ id: 'PG-2a', origin: 'PG-2', state: 'ready' }],
    });
    expect(project.storeSnapshot()).toBe('no store');
  });
});

test('task show reads the checkpoints back: each numbered per task, the latest in full; --json has them all', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await packet(project, 'OTHER-1');
  await packet(project, 'S-1');
  // Another task's checkpoints first: S-1's own count still starts at 1.
  for (let i = 0; i < 2; i++)
    expect(
      (await project.packgate(['checkpoint', '--task', 'OTHER-1', ...FIELDS, '--decision', 'continue'])).exitCode,
    ).toBe(0);
  const first = await project.packgate([
    'checkpoint',
    '--task',
    'S-1',
    ...['--changed', 'the form posts', '--drift', 'none', '--blocked-on', 'C-ops: the IdP config'],
    ...['--next', 'ask C-ops for the IdP config', '--decision', 'escalate'],
  ]);
  expect(first.stdout).toMatch(/^checkpoint #1 of S-1: escalate\n/);
  const second = await project.packgate([
    'checkpoint',
    '--task',
    'S-1',
    ...['--changed', 'the callback half is done', '--drift', 'the logout page moved'],
    ...['--blocked-on', 'nothing', '--next', 'record a gate run', '--next', 'hand off', '--decision', 'park'],
  ]);
  expect(second.stdout).toMatch(/^checkpoint #2 of S-1: park \(ready -> parked\)\n/);

  const shown = await project.packgate(['task', 'show', 'S-1']);
  expect(shown.exitCode).toBe(0);
  expect(shown.stdout).toMatch(
    new RegExp(
      [
        'checkpoints:',
        '  #1 \\S+  escalate \\(escalated to C-ops\\) by tester: blocked on: C-ops: the IdP config',
        '  #2 \\S+  park \\(-> parked\\) by tester',
        '    goal: goal of S-1',
        '    track: S-1: ready',
        '    changed: the callback half is done',
        '    drift: the logout page moved',
        '    blocked on: nothing',
        '    next 1: record a gate run',
        '    next 2: hand off',
        '',
      ].join('\n'),
    ),
  );
  // Its events name each checkpoint as the lines above do. Before: `checkpoint by tester:
  // {"checkpoint":3,"decision":"escalate"}`, the store's id (OTHER-1's came first) beside #1.
  expect(shown.stdout).toMatch(/\n {2}\S+ {2}checkpoint #1 by tester: escalate\n/);
  expect(shown.stdout).toMatch(/\n {2}\S+ {2}checkpoint #2 by tester: park\n/);
  expect(shown.stdout).not.toContain('"checkpoint":');

  const json = await project.json<{
    checkpoints: Array<{ number: number; decision: string; whatChanged: string; nextActions: string[] }>;
  }>(['task', 'show', 'S-1']);
  expect(json.body.checkpoints).toMatchObject([
    { number: 1, decision: 'escalate', whatChanged: 'the form posts', nextActions: ['ask C-ops for the IdP config'] },
    {
      number: 2,
      decision: 'park',
      whatChanged: 'the callback half is done',
      nextActions: ['record a gate run', 'hand off'],
    },
  ]);
});
