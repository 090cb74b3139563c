import { expect, test } from '@playwright/test';
import { TaskProject } from '../helpers/task-project.ts';

// Before: each event but a checkpoint was `<kind> by <actor>: ` and its stored JSON, e.g.
// `claim by tester: {"session":"s-1","worktree":null,"branch":null,"base":null}`.
test('task show words its events: claims, overrides, proofs, releases, packets, dependencies; an imported body field by field', async ({}, testInfo) => {
  const project = await TaskProject.create(testInfo, { git: false });
  for (const id of ['T-0', 'T-1']) {
    const made = await project.packgate([
      'packet',
      'new',
      '--task-id',
      id,
      '--owner-lane',
      'C-ops',
      '--goal',
      `goal of ${id}`,
      '--pack',
      'auth-session',
      '--acceptance',
      'the manifest says where the store is',
    ]);
    expect(made.exitCode, made.output).toBe(0);
  }
  // Its packet replaced: a `packet` event naming both.
  const file = '.packgate/packets/T-1.yaml';
  project.write({ [file]: project.read(file).replace('goal: goal of T-1', 'goal: the goal, sharper') });
  const steps = [
    ['packet', 'attach', file],
    ['task', 'depend', 'T-1', '--on', 'T-0'],
    ['task', 'start', 'T-1', '--no-worktree', '--session', 's-1', '--force', '--reason', 'T-0 only renames a file'],
    ['task', 'prove', 'T-1', '--item', '1', '--file', 'packgate.yaml', '--note', 'the manifest'],
    ['task', 'release', 'T-1', '--session', 's-1', '--reason', 'back later'],
  ];
  for (const args of steps) {
    const done = await project.packgate(args);
    expect(done.exitCode, done.output).toBe(0);
  }
  project.write({
    'old.yaml': `- id: OLD-1
  title: from the old tracker
  state: done
  created_at: 2019-06-01
  events:
    - { kind: handoff, at: 2019-06-02, body: { files: [], by: old-bot } }
`,
  });
  expect((await project.packgate(['queue', 'import', 'old.yaml'])).exitCode).toBe(0);

  const shown = await project.packgate(['task', 'show', 'T-1']);
  expect(shown.exitCode).toBe(0);
  const events = shown.stdout.slice(shown.stdout.indexOf('events:\n')).split('\n').slice(1, -1);
  expect(events.map(line => line.replace(/^ {2}\S+ {2}/, ''))).toEqual([
    expect.stringMatching(/^packet by tester: packet [0-9a-f]{12} in place of [0-9a-f]{12}$/),
    'note by tester: now depends on T-0',
    'claim by tester: session s-1, no worktree',
    'override by tester: "dependencies done" set aside, open: T-0 ready: T-0 only renames a file',
    expect.stringMatching(
      /^proof by tester: acceptance item 1 proven by packgate\.yaml \(sha256 [0-9a-f]{12}\): the manifest$/,
    ),
    "release by tester: session s-1's hold ended, -> ready: back later",
  ]);
  expect(shown.stdout).not.toMatch(/\{"/);

  const old = await project.packgate(['task', 'show', 'OLD-1']);
  expect(old.stdout).toMatch(/\nevents:\n {2}\S+ {2}handoff by tester: files: none; by: old-bot\n$/);
});
