import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

// Each test runs the CLI several times (a process each, seconds apiece on a busy 2-core machine).
test.describe.configure({ timeout: 180_000 });

type Recorded = { checkpoint: { decision: string; whatChanged: string; originalGoal: string } };

const LEFTOVER = '.packgate/checkpoints/A-1.yaml';

test('checkpoint --edit: a template left by a failed attempt is reopened, and flags given now replace its values', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  // A first attempt fails on its decision; the template, with the user's edits, is kept.
  project.write({
    'bad.yaml':
      'original_goal: goal of A-1\ncurrent_track: A-1\nwhat_changed: from the editor\ndrift_discovered: none\n' +
      'blocked_on: nothing\nnext_actions: [wire it]\ndecision: halt\n',
  });
  const failed = await project.packgate(['checkpoint', '--task', 'A-1', '--edit'], {
    EDITOR: `cp ${path.join(project.dir, 'bad.yaml')}`,
  });
  expect(failed.exitCode).toBe(2);
  expect(project.exists(LEFTOVER)).toBe(true);

  // Now with --decision: the flag wins over the leftover's, the other edits stay.
  const again = await project.json<Recorded>(['checkpoint', '--task', 'A-1', '--edit', '--decision', 'continue'], {
    EDITOR: 'true',
  });
  expect(again.result.exitCode, again.result.output).toBe(0);
  expect(again.result.stderr).toContain(
    `packgate: reopening ${LEFTOVER}, kept from an earlier attempt, with --decision as given now\n`,
  );
  expect(again.body.checkpoint).toMatchObject({ decision: 'continue', whatChanged: 'from the editor' });
  expect(project.exists(LEFTOVER)).toBe(false);

  // A leftover that is not YAML cannot take the flags: it is moved aside, and a new template starts from them.
  project.write({ [LEFTOVER]: 'what_changed: [never closed\n' });
  const fields = ['--changed', 'the form posts', '--drift', 'none', '--blocked-on', 'nothing', '--next', 'wire it'];
  const fresh = await project.json<Recorded>(
    ['checkpoint', '--task', 'A-1', '--edit', ...fields, '--decision', 'continue'],
    { EDITOR: 'true' },
  );
  expect(fresh.result.exitCode, fresh.result.output).toBe(0);
  expect(fresh.result.stderr).toContain(
    `packgate: ${LEFTOVER}, kept from an earlier attempt, is not readable YAML, so --changed, --drift, --blocked-on, ` +
      '--next, --decision cannot go into it: it is moved to .packgate/checkpoints/A-1.previous.yaml and a new ' +
      'template starts from the flags given now\n',
  );
  expect(fresh.body.checkpoint).toMatchObject({ decision: 'continue', whatChanged: 'the form posts' });
  expect(project.read('.packgate/checkpoints/A-1.previous.yaml')).toBe('what_changed: [never closed\n');
});

test('checkpoint --edit with neither VISUAL nor EDITOR set is refused before any file is written: exit 2, says what to set', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  const noEditor = { VISUAL: '', EDITOR: '' };
  const refused = await project.packgate(['checkpoint', '--task', 'A-1', '--edit'], noEditor);
  expect(refused.exitCode, refused.output).toBe(2);
  expect(project.exists('.packgate/checkpoints')).toBe(false);
  expect(refused.stderr).toBe(
    'packgate: checkpoint --edit needs an editor and neither VISUAL nor EDITOR is set; nothing was written or recorded\n' +
      "  hint: set one and run it again (EDITOR=vi, or VISUAL='code --wait'), " +
      'or give the fields as flags (--changed, --drift, --blocked-on, --next, --decision)\n',
  );

  // A template kept from an earlier attempt is not touched either: the flags given now do not go into it.
  const kept = 'what_changed: kept from before\n';
  project.write({ [LEFTOVER]: kept });
  const again = await project.packgate(['checkpoint', '--task', 'A-1', '--edit', '--decision', 'park'], noEditor);
  expect(again.exitCode, again.output).toBe(2);
  expect(again.stderr).not.toContain('reopening');
  expect(project.read(LEFTOVER)).toBe(kept);
});

test('checkpoint --edit: an unknown escalate_to lane and a split id already taken are located in the template, with a hint', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  for (const id of ['A-1', 'B-1']) await project.examplePacket({ TASK_ID: id, GOAL: `goal of ${id}` });
  const before = project.storeSnapshot();
  const head = [
    'original_goal: goal of A-1',
    'current_track: A-1',
    'what_changed: nothing yet',
    'drift_discovered: none',
    'blocked_on: the IdP config',
    'next_actions: [ask]',
  ];
  project.write({
    'lane.yaml': [...head, 'decision: escalate', 'escalate_to: C-opz', ''].join('\n'),
    'split.yaml': [...head, 'decision: split', 'split:', '  - "A-1a: a new part"', '  - "B-1: taken"', ''].join('\n'),
  });
  type Refused = { error: { code: string; message: string; diagnostics: Array<Record<string, unknown>> } };

  const lane = await project.json<Refused>(['checkpoint', '--task', 'A-1', '--edit'], {
    EDITOR: `cp ${path.join(project.dir, 'lane.yaml')}`,
  });
  expect(lane.result.exitCode).toBe(2);
  expect(lane.body.error.message).toMatch(
    /^the checkpoint template is not right \(1 error in 1 file\); nothing recorded/,
  );
  expect(lane.body.error.diagnostics).toEqual([
    expect.objectContaining({
      file: LEFTOVER,
      line: 8,
      path: 'escalate_to',
      rule: 'unknown-lane',
      message: 'no lane C-opz in governance.yaml to escalate to',
      hint: 'did you mean "C-ops"?',
    }),
  ]);

  const split = await project.packgate(['checkpoint', '--task', 'A-1', '--edit'], {
    EDITOR: `cp ${path.join(project.dir, 'split.yaml')}`,
  });
  expect(split.exitCode).toBe(2);
  expect(split.stderr).toContain(`${LEFTOVER}:10:5 split[1]: task B-1 is already in the store`);
  expect(project.exists(LEFTOVER)).toBe(true);
  expect(project.storeSnapshot()).toEqual(before);
});

test('checkpoint: a changed goal carries to the next checkpoint, from flags and in the template', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  const fields = ['--changed', 'the form posts', '--drift', 'none', '--blocked-on', 'nothing', '--next', 'wire it'];
  const moved = await project.json<Recorded>([
    'checkpoint',
    '--task',
    'A-1',
    ...fields,
    '--original-goal',
    'the callback half only',
    '--decision',
    'continue',
  ]);
  expect(moved.result.exitCode, moved.result.output).toBe(0);

  const next = await project.packgate(['checkpoint', '--task', 'A-1', ...fields, '--decision', 'continue']);
  expect(next.exitCode, next.output).toBe(0);
  expect(next.stdout).toContain('  GOAL CHANGED: the packet says "goal of A-1"; now "the callback half only"\n');

  const seen = path.join(project.dir, 'seen.yaml');
  const edited = await project.json<Recorded>(
    ['checkpoint', '--task', 'A-1', '--edit', ...fields, '--decision', 'continue'],
    {
      EDITOR: `sh -c 'cp "$1" ${seen}' --`,
    },
  );
  expect(edited.result.exitCode, edited.result.output).toBe(0);
  expect(project.read('seen.yaml')).toContain('original_goal: the callback half only\n');
  expect(edited.body.checkpoint.originalGoal).toBe('the callback half only');
});

test('checkpoint --edit: a field of the wrong shape or missing points at the template\'s header comment, not at "checkpoint"', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  // Before: "hint: see checkpoint for what this field takes" and "add "drift_discovered:" here; checkpoint describes it".
  project.write({
    'shape.yaml':
      'original_goal: goal of A-1\ncurrent_track: A-1\nwhat_changed: [a, list]\nblocked_on: nothing\n' +
      'next_actions: [ask]\ndecision: continue\n',
  });
  type Refused = { error: { diagnostics: Array<{ path: string; hint: string }> } };
  const refused = await project.json<Refused>(['checkpoint', '--task', 'A-1', '--edit'], {
    EDITOR: `cp ${path.join(project.dir, 'shape.yaml')}`,
  });
  expect(refused.result.exitCode, refused.result.output).toBe(2);
  expect(refused.body.error.diagnostics.map(d => [d.path, d.hint])).toEqual([
    ['what_changed', "see the template's header comment for what this field takes"],
    ['drift_discovered', 'add "drift_discovered:" here; the template\'s header comment describes it'],
  ]);
});

test("checkpoint --edit: a template the editor removed is said so, exit 2, not as Node's ENOENT and its stack", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  const before = project.storeSnapshot();
  // Before: "Error: ENOENT: no such file or directory, open '/.../.packgate/checkpoints/A-1.yaml'" and a stack trace.
  const removed = await project.packgate(['checkpoint', '--task', 'A-1', '--edit'], { EDITOR: 'rm' });
  expect(removed.exitCode, removed.output).toBe(2);
  expect(removed.stderr).toBe(
    `packgate: the checkpoint template ${LEFTOVER} cannot be read back after the editor (rm): no such file; nothing recorded\n` +
      '  hint: run the command with --edit again: a new template starts from the flags\n',
  );
  expect(project.storeSnapshot()).toEqual(before);
});

test("checkpoint --edit: a folder where the template was is said so before the editor opens, exit 2, not as Node's EISDIR", async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  fs.mkdirSync(path.join(project.dir, LEFTOVER, 'kept'), { recursive: true });
  const before = project.storeSnapshot();
  const refused = `packgate: the checkpoint template ${LEFTOVER}, kept from an earlier attempt, cannot be reopened: a folder, not a file; nothing recorded\n`;
  const hint = `  hint: remove the folder (rm -r ${LEFTOVER}), then run the command with --edit again: a new template starts from the flags\n`;
  // An editor that would write a template, to show it never opened.
  const editor = { EDITOR: `touch ${path.join(project.dir, 'editor-opened')}` };

  // Before: "Error: EISDIR: illegal operation on a directory, read" and a stack trace.
  const withFlags = await project.packgate(['checkpoint', '--task', 'A-1', '--edit', '--decision', 'continue'], editor);
  expect(withFlags.exitCode, withFlags.output).toBe(2);
  expect(withFlags.stderr).toBe(refused + hint);

  // Before: "reopening ..." and the editor opened on the folder.
  const bare = await project.packgate(['checkpoint', '--task', 'A-1', '--edit'], editor);
  expect(bare.exitCode, bare.output).toBe(2);
  expect(bare.stderr).toBe(refused + hint);

  expect(project.exists('editor-opened')).toBe(false);
  expect(project.exists(`${LEFTOVER}/kept`)).toBe(true);
  expect(project.storeSnapshot()).toEqual(before);
});

test('checkpoint --edit: one next action or one split part written on one line is that one item', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  project.write({
    'one.yaml':
      'original_goal: goal of A-1\ncurrent_track: A-1\nwhat_changed: nothing yet\ndrift_discovered: none\n' +
      'blocked_on: nothing\nnext_actions: ask C-ops for the IdP config\ndecision: split\nsplit: "A-1a: the callback half"\n',
  });
  // Before: exit 2, "next_actions: expected array, got "ask C-ops for the IdP config"" and
  // "next_actions: has more than 3 actions: keep the next three" (its characters counted), "split: expected array".
  const split = await project.json<{
    checkpoint: { nextActions: string[] };
    splitTasks: Array<{ id: string; title: string }>;
  }>(['checkpoint', '--task', 'A-1', '--edit'], { EDITOR: `cp ${path.join(project.dir, 'one.yaml')}` });
  expect(split.result.exitCode, split.result.output).toBe(0);
  expect(split.body.checkpoint.nextActions).toEqual(['ask C-ops for the IdP config']);
  expect(split.body.splitTasks.map(t => [t.id, t.title])).toEqual([['A-1a', 'the callback half']]);
});

test('checkpoint --edit --json: what the editor writes goes to stderr, and stdout is the JSON result alone', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  await project.examplePacket({ TASK_ID: 'A-1', GOAL: 'goal of A-1' });
  project.write({
    'filled.yaml':
      'original_goal: goal of A-1\ncurrent_track: A-1\nwhat_changed: nothing yet\ndrift_discovered: none\n' +
      'blocked_on: nothing\nnext_actions: [ask]\ndecision: continue\n',
  });
  // An editor that draws its screen on stdout, as vi does. Before: that screen came first on stdout, and
  // `checkpoint --edit --json > result.json` wrote no JSON a program could read.
  const edited = await project.packgate(['checkpoint', '--task', 'A-1', '--edit', '--json'], {
    EDITOR: `sh -c 'echo "~ the editor screen"; cp ${path.join(project.dir, 'filled.yaml')} "$1"' --`,
  });
  expect(edited.exitCode, edited.output).toBe(0);
  expect(JSON.parse(edited.stdout)).toMatchObject({ ok: true, checkpoint: { decision: 'continue' } });
  expect(edited.stderr).toContain('~ the editor screen\n');
});
