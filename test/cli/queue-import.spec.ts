import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { stringify } from 'yaml';
import { TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 120_000 });

/** A packet `packet check` passes, for task `id`. */
const packetFor = (id: string) => ({
  task_id: id,
  track_id: 'T',
  owner_lane: 'C-ops',
  goal: 'Make the callback check block',
  non_goals: ['no proxy work'],
  current_state: 'not started',
  architecture_context: ['auth-session at api'],
  environment: 'local',
  owned_files: ['packs/**'],
  must_not_touch: ['src/**'],
  commands_to_run: ['npx playwright test --project=local-api'],
  acceptance: ['it blocks'],
  workflow_regression_pack: 'auth-session',
  known_risks: ['none known'],
  stop_conditions: ['it needs src/'],
  deviation_rules: ['the four drift rules'],
  handoff_required: ['files changed'],
});

/** A task done in 2024 that depends on `dependsOn`. */
const entry = (id: string, dependsOn: string[]) => ({
  id,
  title: `task ${id}`,
  state: 'done',
  created_at: '2024-01-01',
  depends_on: dependsOn,
});

type Problem = { file: string; line: number; col: number; path: string; rule: string; message: string; hint: string };

test('queue import checks each entry as packet check and the task states do: every problem located, exit 2, nothing imported', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  const backlog = [
    { id: 'NOPACKET-1', title: 'ready, but nothing to work from', state: 'ready', created_at: '2024-01-01' },
    { id: 'LANE-1', title: 'a lane governance does not know', state: 'done', lane: 'C-opz', created_at: '2024-01-01' },
    {
      id: 'PK-1',
      title: 'a packet packet check refuses',
      state: 'ready',
      created_at: '2024-01-01',
      packet: { ...packetFor('PK-1'), owner_lane: 'C-opz', workflow_regression_pack: 'auth-sesion' },
    },
    {
      id: 'HELD-1',
      title: 'in progress, held by nobody',
      state: 'in_progress',
      created_at: '2024-01-01',
      packet: packetFor('HELD-1'),
    },
    {
      id: 'FINE-1',
      title: 'ready with its packet',
      state: 'ready',
      created_at: '2024-01-01',
      packet: packetFor('FINE-1'),
    },
  ];
  p.write({ 'backlog.yaml': stringify(backlog) });

  const refused = await p.json<{ ok: boolean; error: { diagnostics: Problem[] } }>(['queue', 'import', 'backlog.yaml']);
  expect(refused.result.exitCode, refused.result.output).toBe(2);
  expect(refused.body.error.diagnostics.map(d => [d.path, d.rule])).toEqual([
    ['[0].state', 'packet-required'],
    ['[1].lane', 'unknown-lane'],
    ['[2].packet.owner_lane', 'unknown-lane'],
    ['[2].packet.workflow_regression_pack', 'unknown-pack'],
    ['[3].state', 'no-holder'],
  ]);
  const text = p.read('backlog.yaml').split('\n');
  for (const d of refused.body.error.diagnostics) expect(d.file).toBe('backlog.yaml');
  // Each is located on its own line of the file: the field it names.
  const [state0, lane1, owner2, pack2, state3] = refused.body.error.diagnostics;
  expect(text[state0.line - 1]).toContain('state: ready');
  expect(text[lane1.line - 1]).toContain('lane: C-opz');
  expect(text[owner2.line - 1]).toContain('owner_lane: C-opz');
  expect(text[pack2.line - 1]).toContain('workflow_regression_pack: auth-sesion');
  expect(text[state3.line - 1]).toContain('state: in_progress');
  expect(lane1.hint).toBe('did you mean "C-ops"?');
  expect(pack2.hint).toBe('did you mean "auth-session"?');

  const human = await p.packgate(['queue', 'import', 'backlog.yaml']);
  expect(human.exitCode).toBe(2);
  expect(human.stderr).toContain('backlog.yaml is not a task list to import (5 errors in 1 file); nothing imported');
  expect(human.stderr).toMatch(
    /backlog\.yaml:\d+:\d+ \[2\]\.packet\.workflow_regression_pack: pack "auth-sesion" does not exist/,
  );
  expect(p.storeSnapshot() === 'no store' || (p.storeSnapshot() as Record<string, unknown[]>).tasks.length === 0).toBe(
    true,
  );

  // Fixed, the same file imports: the packet is stored, and passes packet check from the store.
  p.write({ 'good.yaml': stringify([backlog[4]]) });
  const imported = await p.packgate(['queue', 'import', 'good.yaml']);
  expect(imported.exitCode, imported.output).toBe(0);
  const check = await p.packgate(['packet', 'check', 'FINE-1']);
  expect(check.exitCode, check.output).toBe(0);
});

test('queue import names a duplicate id together with the other problems, and the line where the id first appears', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  p.write({
    'bad.yaml': `- id: OLD-1
  title: the first OLD-1
  state: done
  created_at: 2019-01-01
- id: OLD-2
  title: a bad state and an unknown field
  state: finished
  colour: red
  created_at: 2019-01-01
- id: OLD-1
  title: the second OLD-1, with no created_at
  state: done
`,
  });
  const refused = await p.json<{ error: { diagnostics: Problem[] } }>(['queue', 'import', 'bad.yaml']);
  expect(refused.result.exitCode).toBe(2);
  expect(refused.body.error.diagnostics.map(d => [d.line, d.path, d.rule])).toEqual([
    [7, '[1].state', 'schema'],
    [8, '[1].colour', 'unknown-field'],
    [10, '[2].created_at', 'missing-field'],
    [10, '[2].id', 'duplicate-id'],
  ]);
  // Before: "see queue import for what this field takes", "add "created_at:" here; queue import describes it".
  expect(refused.body.error.diagnostics[0].hint).toBe('see schemas/queue-import.schema.json for what this field takes');
  expect(refused.body.error.diagnostics[2].hint).toBe(
    'add "created_at:" here; schemas/queue-import.schema.json describes it',
  );
  expect(refused.body.error.diagnostics[3]).toMatchObject({
    message: 'OLD-1 is listed twice',
    hint: 'it is first at line 1 ([0].id); give this one a new id, or drop it',
  });
  const list = await p.json<{ tasks: unknown[] }>(['task', 'list']);
  expect(list.body.tasks).toEqual([]);
});

test('queue import brings dependencies in: on tasks in the file or the store; a missing one or a cycle is located, nothing imported', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  await p.examplePacket({ TASK_ID: 'STORED-1' });
  p.write({
    'bad.yaml': stringify([entry('A-1', ['B-1']), entry('B-1', ['A-1', 'STORED-1']), entry('C-1', ['GHOST-9'])]),
  });
  const refused = await p.json<{ error: { diagnostics: Problem[] } }>(['queue', 'import', 'bad.yaml']);
  expect(refused.result.exitCode).toBe(2);
  expect(refused.body.error.diagnostics.map(d => [d.line, d.path, d.rule, d.message])).toEqual([
    [6, '[0].depends_on[0]', 'dependency-cycle', 'A-1 cannot depend on B-1: that closes a cycle A-1 -> B-1 -> A-1'],
    [12, '[1].depends_on[0]', 'dependency-cycle', 'B-1 cannot depend on A-1: that closes a cycle B-1 -> A-1 -> B-1'],
    [19, '[2].depends_on[0]', 'unknown-task', 'C-1 depends on GHOST-9, which is neither in this file nor in the store'],
  ]);
  expect((await p.json<{ tasks: unknown[] }>(['task', 'list'])).body.tasks).toHaveLength(1);

  // A typo of a stored task's id is named with that id. Before: "known task ids in this file: D-1".
  p.write({ 'typo.yaml': stringify([entry('D-1', ['STORED-01'])]) });
  const typo = await p.json<{ error: { diagnostics: Problem[] } }>(['queue', 'import', 'typo.yaml']);
  expect(typo.result.exitCode).toBe(2);
  expect(typo.body.error.diagnostics.map(d => [d.rule, d.hint])).toEqual([
    ['unknown-task', 'did you mean "STORED-1"?'],
  ]);

  // A task may wait on one listed after it, or on one already stored.
  p.write({ 'good.yaml': stringify([entry('A-1', ['B-1']), entry('B-1', ['STORED-1'])]) });
  const imported = await p.packgate(['queue', 'import', 'good.yaml']);
  expect(imported.exitCode, imported.output).toBe(0);
  const a = await p.json<{ task: { dependsOn: string[] } }>(['task', 'show', 'A-1']);
  const b = await p.json<{ task: { dependsOn: string[] } }>(['task', 'show', 'B-1']);
  expect([a.body.task.dependsOn, b.body.task.dependsOn]).toEqual([['B-1'], ['STORED-1']]);
});

test('queue import refuses an empty list, a date in the future (located) and a date in no accepted form (naming the forms)', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  p.write({ 'empty.yaml': '[]\n' });
  const empty = await p.packgate(['queue', 'import', 'empty.yaml']);
  expect(empty.exitCode).toBe(2);
  expect(empty.stderr).toMatch(/^packgate: empty\.yaml lists no tasks; nothing imported\n {2}hint: /);

  p.write({
    'dates.yaml': `- id: LATER-1
  title: created in the future
  state: done
  created_at: 2999-01-01
  events:
    - kind: note
      at: 2024-01-01T09:30:00+01:00
    - kind: note
      at: 2999-01-01T09:30:00Z
- id: BAD-1
  title: a date in no accepted form
  state: done
  created_at: 01/02/2024
`,
  });
  const refused = await p.json<{ error: { diagnostics: Problem[] } }>(['queue', 'import', 'dates.yaml']);
  expect(refused.result.exitCode).toBe(2);
  expect(refused.body.error.diagnostics.map(d => [d.line, d.path, d.rule])).toEqual([
    [4, '[0].created_at', 'future-date'],
    [9, '[0].events[1].at', 'future-date'],
    [13, '[1].created_at', 'schema'],
  ]);
  expect(refused.body.error.diagnostics[0].message).toMatch(/^2999-01-01 is in the future \(it is now \S+\)$/);
  expect(refused.body.error.diagnostics[2].message).toBe(
    '"01/02/2024" is not a date and time with Z or an offset (2024-01-31T09:30:00Z, 2024-01-31T09:30:00+01:00) ' +
      'or a date (2024-01-31)',
  );
  expect((await p.json<{ tasks: unknown[] }>(['task', 'list'])).body.tasks).toEqual([]);
});

test('queue import lists what it imported one task a line, so a backlog of 50 stays readable', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  const ids = Array.from({ length: 50 }, (_, i) => `OLD-${i + 1}`);
  p.write({
    'backlog.json': JSON.stringify(
      ids.map(id => ({ id, title: `task ${id}`, state: 'done', created_at: '2019-01-01' })),
    ),
  });
  const imported = await p.packgate(['queue', 'import', 'backlog.json']);
  expect(imported.exitCode, imported.output).toBe(0);
  // Before: "imported 50 tasks from backlog.json: OLD-1 (done), OLD-2 (done), ..." on one line.
  expect(imported.stdout).toBe(
    [
      'imported 50 tasks from backlog.json:',
      ...ids.map(id => `  ${id.padEnd('OLD-50'.length)}  done`),
      'see their debt with: packgate queue health',
      '',
    ].join('\n'),
  );
});

test('queue import refusing ids already in the store lists them one a line, the first 20 and how many more', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  const task = (id: string) => ({ id, title: `task ${id}`, state: 'done', created_at: '2019-01-01' });
  const ids = Array.from({ length: 25 }, (_, i) => `OLD-${i + 1}`);
  p.write({
    'backlog.json': JSON.stringify(ids.map(task)),
    'again.json': JSON.stringify([...ids, 'NEW-1'].map(task)),
    'one.json': JSON.stringify([task('OLD-3'), task('NEW-2')]),
  });
  expect((await p.packgate(['queue', 'import', 'backlog.json'])).exitCode).toBe(0);

  // Before: "already in the store: OLD-1, OLD-2, ..., OLD-25; nothing imported" on one line.
  const again = await p.packgate(['queue', 'import', 'again.json']);
  expect(again.exitCode, again.output).toBe(2);
  expect(again.stderr).toBe(
    [
      'packgate: 25 of the 26 tasks to import are already in the store; nothing imported:',
      ...ids.slice(0, 20).map(id => `  ${id}`),
      '  ... and 5 more',
      '  hint: drop them from the file (packgate task list shows every task in the store), or give them new ids',
      '',
    ].join('\n'),
  );
  const one = await p.packgate(['queue', 'import', 'one.json']);
  expect(one.exitCode, one.output).toBe(2);
  expect(one.stderr).toBe(
    'packgate: 1 of the 2 tasks to import is already in the store; nothing imported:\n  OLD-3\n' +
      '  hint: drop them from the file, or give them new ids\n',
  );
  const listed = await p.json<{ tasks: Array<{ id: string }> }>(['task', 'list']);
  expect(listed.body.tasks.map(t => t.id).filter(id => id.startsWith('NEW'))).toEqual([]);
});

test("queue import keeps an entry's kind where its packet leaves kind out, and refuses a kind, lane or track its packet contradicts", async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  const bugfix = (id: string, extra: Record<string, unknown>, packet: Record<string, unknown> = {}) => ({
    id,
    title: `a bug fix ${id}`,
    state: 'in_review',
    kind: 'bugfix',
    created_at: '2026-12-05',
    ...extra,
    packet: { ...packetFor(id), ...packet },
  });
  p.write({
    'conflict.yaml': stringify([
      bugfix('CONFLICT-1', { lane: 'A-web', track: 'TR-9' }, { kind: 'feature' }),
      bugfix('FINE-1', { lane: 'C-ops', track: 'T' }),
    ]),
  });
  // Before: imported, exit 0, CONFLICT-1 a feature of lane C-ops on track T (the packet's, without a word).
  const refused = await p.json<{ error: { diagnostics: Problem[] } }>(['queue', 'import', 'conflict.yaml']);
  expect(refused.result.exitCode, refused.result.output).toBe(2);
  expect(refused.body.error.diagnostics.map(d => [d.path, d.rule, d.message])).toEqual([
    ['[0].kind', 'packet-conflict', "kind is bugfix, but its packet's kind is feature"],
    ['[0].lane', 'packet-conflict', "lane is A-web, but its packet's owner_lane is C-ops"],
    ['[0].track', 'packet-conflict', "track is TR-9, but its packet's track_id is T"],
  ]);
  const text = p.read('conflict.yaml').split('\n');
  expect(text[refused.body.error.diagnostics[1].line - 1]).toContain('lane: A-web');
  expect(refused.body.error.diagnostics[0].hint).toBe(
    `give it once: drop "kind:" here (the packet's kind is the task's), or make the two agree`,
  );
  expect((await p.json<{ tasks: unknown[] }>(['task', 'list'])).body.tasks).toEqual([]);

  // Before: FINE-1 came in a feature (the packet's default kind), owing no fix record nor regression.
  p.write({ 'fine.yaml': stringify([bugfix('FINE-1', { lane: 'C-ops', track: 'T' })]) });
  const imported = await p.packgate(['queue', 'import', 'fine.yaml']);
  expect(imported.exitCode, imported.output).toBe(0);
  const shown = await p.json<{ task: { kind: string; packet: { kind: string } } }>(['task', 'show', 'FINE-1']);
  expect(shown.body.task).toMatchObject({ kind: 'bugfix', packet: { kind: 'bugfix' } });
  const health = await p.json<{ report: { tasks: Array<{ id: string; problems: Array<{ rule: string }> }> } }>([
    'queue',
    'health',
  ]);
  expect(health.body.report.tasks.find(t => t.id === 'FINE-1')?.problems.map(d => d.rule)).toEqual([
    'no-fix-record',
    'regression-not-accepted',
    'gate-run-missing',
  ]);
});

test('queue import takes a dependency listed twice as one, and names an unknown one listed twice once', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  p.write({ 'bad.yaml': stringify([entry('A-1', ['GHOST-9', 'GHOST-9'])]) });
  const refused = await p.json<{ error: { diagnostics: Problem[] } }>(['queue', 'import', 'bad.yaml']);
  expect(refused.result.exitCode).toBe(2);
  expect(refused.body.error.diagnostics.map(d => [d.path, d.rule])).toEqual([['[0].depends_on[0]', 'unknown-task']]);

  // Before: exit 2, "cannot write to the queue store ...: UNIQUE constraint failed: task_dependencies...",
  // said to be a bug in packgate, nothing imported.
  p.write({ 'twice.yaml': stringify([entry('A-1', ['B-1', 'B-1']), entry('B-1', [])]) });
  const imported = await p.packgate(['queue', 'import', 'twice.yaml']);
  expect(imported.exitCode, imported.output).toBe(0);
  const a = await p.json<{ task: { dependsOn: string[] } }>(['task', 'show', 'A-1']);
  expect(a.body.task.dependsOn).toEqual(['B-1']);
});

test('queue import reads a backlog saved with a byte order mark (UTF-8 or UTF-16), and refuses one not in UTF-8, located', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  const yaml = (id: string, title: string) =>
    `- id: ${id}\n  title: ${title}\n  state: done\n  created_at: 2024-01-01\n`;
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
  fs.writeFileSync(path.join(p.dir, 'bom8.yaml'), '\uFEFF' + yaml('BOM-8', 'café'));
  fs.writeFileSync(path.join(p.dir, 'bom16le.yaml'), Buffer.from('\uFEFF' + yaml('BOM-16LE', 'café'), 'utf16le'));
  fs.writeFileSync(
    path.join(p.dir, 'bom16be.json'),
    utf16be(
      '\uFEFF' + JSON.stringify([{ id: 'BOM-16BE', title: 'task BOM-16BE', state: 'done', created_at: '2024-01-01' }]),
    ),
  );
  // Before: 12 YAML syntax errors for the UTF-8 mark; "expected array, got "��-\u0000 \u0000i..." for UTF-16.
  for (const file of ['bom8.yaml', 'bom16le.yaml', 'bom16be.json']) {
    const imported = await p.packgate(['queue', 'import', file]);
    expect(imported.exitCode, `${file}: ${imported.output}`).toBe(0);
  }
  const titles = await p.json<{ tasks: Array<{ id: string; title: string }> }>(['task', 'list']);
  expect(titles.body.tasks.map(t => [t.id, t.title]).sort()).toEqual([
    ['BOM-16BE', 'task BOM-16BE'],
    ['BOM-16LE', 'café'],
    ['BOM-8', 'café'],
  ]);

  // Windows-1252, as a tracker's export may be. Before: imported, exit 0, its title "caf\uFFFD au lait".
  fs.writeFileSync(
    path.join(p.dir, 'latin1.yaml'),
    Buffer.from(yaml('L-1', 'fine') + yaml('L-2', 'café au lait'), 'latin1'),
  );
  const refused = await p.json<{ error: { message: string; diagnostics: Problem[] } }>([
    'queue',
    'import',
    'latin1.yaml',
  ]);
  expect(refused.result.exitCode, refused.result.output).toBe(2);
  expect(refused.body.error.message).toMatch(/^latin1\.yaml is not UTF-8 text; nothing imported:\n/);
  expect(refused.body.error.diagnostics).toMatchObject([
    { file: 'latin1.yaml', line: 6, col: 13, rule: 'encoding', message: expect.stringMatching(/^not UTF-8: /) },
  ]);
  expect(refused.body.error.diagnostics[0].hint).toContain('save the file as UTF-8');
  expect((await p.json<{ tasks: unknown[] }>(['task', 'list'])).body.tasks).toHaveLength(3);
});

test('queue import of a file whose tasks sit under a key names the key to drop', async ({}, testInfo) => {
  const p = await TaskProject.create(testInfo, { git: false });
  const task = { id: 'A-1', title: 'task A-1', state: 'done', created_at: '2024-01-01' };
  p.write({ 'wrapped.json': JSON.stringify({ tasks: [task] }), 'other.yaml': 'a: 1\nb: 2\n' });
  // Before: "expected array, got a map", hint "see schemas/queue-import.schema.json for what this field takes".
  const wrapped = await p.json<{ error: { diagnostics: Problem[] } }>(['queue', 'import', 'wrapped.json']);
  expect(wrapped.result.exitCode).toBe(2);
  expect(wrapped.body.error.diagnostics).toMatchObject([
    {
      line: 1,
      rule: 'not-a-list',
      message: 'the file is a mapping (tasks), not a list of tasks',
      hint: 'the tasks go at the top of the file, as a list: drop "tasks:" and keep its list alone',
    },
  ]);
  const other = await p.json<{ error: { diagnostics: Problem[] } }>(['queue', 'import', 'other.yaml']);
  expect(other.result.exitCode).toBe(2);
  expect(other.body.error.diagnostics[0].hint).toMatch(/^the file is a list of tasks, each "- id: \.\.\."/);

  p.write({ 'unwrapped.json': JSON.stringify([task]) });
  expect((await p.packgate(['queue', 'import', 'unwrapped.json'])).exitCode).toBe(0);
});
